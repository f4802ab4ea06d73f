import { useEffect, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { Character } from '#shared/api/index';
import type { CharacterMaskView } from '#shared/api/characterMask';
import { api } from '../api/client';
import { attempt, useStudio } from '../state/store';
import { automaticMaskText, characterFacts, maskSourceText } from './characterText';
import { decodeMask, encodeMask } from './mask/maskPixels';
import { useMaskEditor } from './mask/maskEditorStore';
import { MaskTools } from './mask/MaskTools';
import { useMaskShortcuts } from './mask/useMaskShortcuts';

function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error('could not read the mask file'));
    reader.readAsDataURL(file);
  });
}

/** "assets/skier.jpg" → "skier.mask.png": the edited mask's file name beside the picture's. */
function maskFileName(picture: string | null | undefined): string {
  const base = (picture ?? 'character')
    .split('/')
    .pop()!
    .replace(/\.[^.]+$/, '');
  return `${base || 'character'}.mask.png`;
}

/**
 * The character's mask as the puppet makes it, and the user's editor of it: where it came from,
 * every warning with its fix (`character.mask`, checked on arrival), the brush over the picture
 * (MaskCanvas in the panel), Auto (the automatic mask), Import a PNG, Reset, and Save, which
 * writes the edited mask as a new file in the project's assets and makes it the character's mask
 * (the picture is never touched). `onMask` hands each checked view to the panel.
 */
export function CharacterMaskCard(props: {
  character: Character;
  /** The last checked mask (the panel clears it when the picture or pose changes). */
  mask: CharacterMaskView | null;
  onCharacter(c: Character): void;
  onMask(mask: CharacterMaskView | null): void;
}) {
  const { character, mask: view } = props;
  const [busy, setBusy] = useState<null | 'check' | 'auto' | 'save'>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const editor = useMaskEditor();
  useMaskShortcuts(Boolean(editor.mask));

  /** Asks the engine for the mask the puppet uses now and starts editing from it. */
  const check = async (quiet = false) => {
    setBusy('check');
    try {
      const v = quiet
        ? await api.call('character.mask', {}).catch((e: unknown) => {
            setProblem(e instanceof Error ? e.message : String(e));
            return undefined;
          })
        : await attempt(() => api.call('character.mask', {}));
      if (!v) return;
      setProblem(null);
      props.onMask(v);
      const m = await decodeMask(v.maskPngBase64);
      const s = useMaskEditor.getState();
      // A check on its own (after a pose change) never replaces edits the user has not saved.
      if (quiet && s.dirty && s.width === m.width && s.height === m.height) return;
      s.loadSaved(m.mask, m.width, m.height);
    } finally {
      setBusy(null);
    }
  };

  // Warnings belong where the user looks: check as soon as the view shows a character whose mask
  // was not checked yet (once per picture/pose; the panel clears the view when they change).
  const version = useStudio((s) => s.characterVersion);
  const checked = useRef<number | null>(null);
  const picture = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (picture.current !== character.picture) {
      picture.current = character.picture;
      useMaskEditor.getState().clear(); // another picture: its mask starts over
    }
    if (!character.picture || view || checked.current === version) return;
    checked.current = version;
    void check(true);
    // Runs once per character version (check is re-made each render; its inputs are read fresh).
  }, [version, view, character.picture]);

  const auto = async () => {
    setBusy('auto');
    try {
      const v = await attempt(() => api.call('character.mask', { automatic: true }));
      if (!v) return;
      props.onMask(v);
      const m = await decodeMask(v.maskPngBase64);
      const s = useMaskEditor.getState();
      if (!s.mask) s.loadSaved(m.mask, m.width, m.height);
      s.replace('Auto', m.mask);
    } finally {
      setBusy(null);
    }
  };

  const changed = async (c: Character | undefined) => {
    if (!c) return;
    props.onCharacter(c);
    checked.current = useStudio.getState().characterVersion; // checked here, not again by the effect
    await check();
  };

  const save = async () => {
    const s = useMaskEditor.getState();
    if (!s.mask) return;
    setBusy('save');
    try {
      const dataBase64 = await encodeMask(s.mask, s.width, s.height);
      const c = await attempt(() =>
        api.call('character.importMask', {
          fileName: maskFileName(character.picture),
          dataBase64,
        }),
      );
      if (!c) return;
      s.markSaved();
      await changed(c);
    } finally {
      setBusy(null);
    }
  };

  // A file input made on demand, not kept in the page: the picture's input stays the view's only
  // one (drops and tests find it without telling the two apart).
  const pickMask = () => {
    const el = document.createElement('input');
    el.type = 'file';
    el.accept = 'image/png';
    el.onchange = () => {
      const f = el.files?.[0];
      if (!f) return;
      void attempt(async () =>
        api.call('character.importMask', { fileName: f.name, dataBase64: await readBase64(f) }),
      ).then(changed);
    };
    el.click();
  };

  const noPicture = !character.picture;
  return (
    <Card>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <Typography variant="subtitle2" sx={{ flex: 1 }}>
            Mask
          </Typography>
          {busy && <CircularProgress size={14} aria-label="working on the mask" />}
          <Button
            size="small"
            disabled={noPicture || busy !== null}
            onClick={() => void check()}
            data-testid="check-mask"
            title="Show the mask the puppet uses now, with its warnings"
          >
            {busy === 'check' ? 'Checking…' : 'Check mask'}
          </Button>
        </Stack>
        <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', mb: 1 }}>
          <Button
            size="small"
            variant="outlined"
            disabled={noPicture || busy !== null}
            onClick={() => void auto()}
            data-testid="mask-auto"
            title="The mask the puppet makes by itself (segmentation model for photos, plain background, transparency)"
          >
            {busy === 'auto' ? 'Finding…' : 'Auto'}
          </Button>
          <Button
            size="small"
            variant="outlined"
            disabled={noPicture || busy !== null}
            onClick={pickMask}
            data-testid="import-mask"
          >
            Import mask…
          </Button>
          <Button
            size="small"
            disabled={!editor.dirty || busy !== null}
            onClick={() => editor.reset()}
            data-testid="mask-reset"
            title="Back to the mask the project uses"
          >
            Reset
          </Button>
          <Button
            size="small"
            variant="contained"
            disabled={!editor.dirty || busy !== null}
            onClick={() => void save()}
            data-testid="mask-save"
            title="Save as the character's mask (a new file in the project; the picture is kept)"
          >
            {busy === 'save' ? 'Saving…' : 'Save mask'}
          </Button>
        </Stack>
        {editor.mask && <MaskTools />}
        {editor.dirty && (
          <Typography
            variant="body2"
            color="warning.main"
            sx={{ mt: 1 }}
            data-testid="mask-unsaved"
          >
            Unsaved mask edits: Save mask to render with them.
          </Typography>
        )}
        {problem && (
          <Alert severity="info" sx={{ mt: 1 }} data-testid="mask-problem">
            The mask cannot be checked yet: {problem}
          </Alert>
        )}
        {view ? (
          <>
            <Typography variant="body2" sx={{ mt: 1 }} data-testid="mask-source">
              {maskSourceText(view.source)}
            </Typography>
            <Stack spacing={1} sx={{ mt: 1 }} data-testid="mask-warnings">
              {view.warnings.map((w) => (
                <Alert
                  key={w.code}
                  severity={
                    w.code === 'rough-mask' || w.code === 'segmentation-failed' ? 'warning' : 'info'
                  }
                  data-warning={w.code}
                >
                  {w.message}. {w.fix}.
                </Alert>
              ))}
            </Stack>
          </>
        ) : (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {automaticMaskText(Boolean(character.mask), character.picture ?? '')}
          </Typography>
        )}
        {character.mask && (
          <Button
            size="small"
            sx={{ mt: 1 }}
            disabled={busy !== null}
            onClick={() => void attempt(() => api.call('character.clearMask', {})).then(changed)}
            data-testid="clear-mask"
          >
            Use the automatic mask
          </Button>
        )}
        <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
          {characterFacts(character)}
        </Typography>
      </CardContent>
    </Card>
  );
}
