import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { api } from '../api/client';
import { attempt, loadProjectState, useStudio } from '../state/store';
import { STEP_VIEW, nextStep, type ProjectSummary } from '#shared/api/index';
import { OpenSampleCard } from './projects/OpenSampleCard';

async function opened(project: ProjectSummary | undefined, created = false) {
  if (!project) return;
  // The view changes in the same step as the project, never after an await: a user who clicks
  // elsewhere while the project's state loads must not be carried back. A new project has no
  // picture yet, so it starts at the Picture step; an opened one at Render, and moves on to its
  // first missing step once its character is known — unless the user went elsewhere meanwhile.
  const first = created ? STEP_VIEW.picture : STEP_VIEW.render;
  useStudio.setState({ view: first });
  await loadProjectState(project);
  const { character, view } = useStudio.getState();
  if (!created && view === first && character)
    useStudio.setState({ view: STEP_VIEW[nextStep({ project, character })] });
  const settings = await attempt(() => api.call('settings.get', {}));
  if (settings) useStudio.setState({ settings });
}

/** Create a project, open one by folder, or pick a recent one. */
export function ProjectBrowser() {
  const settings = useStudio((s) => s.settings);
  const current = useStudio((s) => s.project);
  const [openFolder, setOpenFolder] = useState('');
  const [form, setForm] = useState({
    folder: '',
    name: 'My animation',
    width: 512,
    height: 512,
    fps: 24,
  });
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<ProjectSummary>, created = false) => {
    setBusy(true);
    await opened(await attempt(action), created);
    setBusy(false);
  };

  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fit, minmax(340px, 1fr))',
        gap: 2,
        maxWidth: 1200,
      }}
    >
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Open a project
          </Typography>
          <Stack direction="row" spacing={1}>
            <TextField
              fullWidth
              label="Project folder"
              placeholder="/home/me/animations/wave"
              value={openFolder}
              onChange={(e) => setOpenFolder(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'open-folder' } }}
            />
            <Button
              variant="contained"
              disabled={busy || openFolder.trim() === ''}
              data-testid="open-project"
              onClick={() =>
                void run(() => api.call('projects.open', { folder: openFolder.trim() }))
              }
            >
              Open
            </Button>
          </Stack>
          <Typography variant="subtitle2" sx={{ mt: 3 }}>
            Recent
          </Typography>
          {settings && settings.recentProjects.length > 0 ? (
            <List dense data-testid="recent-projects">
              {settings.recentProjects.map((r) => (
                // A list holds list items only (axe: `list`); the button sits inside one.
                <ListItem key={r.path} disablePadding>
                  <ListItemButton
                    selected={current?.path === r.path}
                    disabled={busy}
                    onClick={() => void run(() => api.call('projects.open', { folder: r.path }))}
                  >
                    <ListItemText primary={r.name} secondary={r.path} />
                  </ListItemButton>
                </ListItem>
              ))}
            </List>
          ) : (
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              Projects you open appear here.
            </Typography>
          )}
        </CardContent>
      </Card>
      <OpenSampleCard
        busy={busy}
        open={(folder) => run(() => api.call('projects.openSample', folder ? { folder } : {}))}
      />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            New project
          </Typography>
          <Stack spacing={1.5}>
            <TextField
              label="Folder (created if missing)"
              value={form.folder}
              onChange={(e) => setForm({ ...form, folder: e.target.value })}
              slotProps={{ htmlInput: { 'data-testid': 'new-folder' } }}
            />
            <TextField
              label="Name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
            <Stack direction="row" spacing={1}>
              {(['width', 'height', 'fps'] as const).map((k) => (
                <TextField
                  key={k}
                  type="number"
                  label={k === 'fps' ? 'Frames/s' : k === 'width' ? 'Width' : 'Height'}
                  value={form[k]}
                  onChange={(e) => setForm({ ...form, [k]: Number(e.target.value) })}
                />
              ))}
            </Stack>
            <Box>
              <Button
                variant="contained"
                disabled={busy || form.folder.trim() === ''}
                data-testid="create-project"
                onClick={() =>
                  void run(
                    () =>
                      api.call('projects.create', {
                        folder: form.folder.trim(),
                        name: form.name,
                        size: { width: form.width, height: form.height },
                        fps: form.fps,
                      }),
                    true,
                  )
                }
              >
                Create
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
