import { useState } from 'react';
import { useStore } from 'zustand';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import UndoIcon from '@mui/icons-material/Undo';
import RedoIcon from '@mui/icons-material/Redo';
import FlipIcon from '@mui/icons-material/Flip';
import RotateLeftIcon from '@mui/icons-material/RotateLeft';
import RotateRightIcon from '@mui/icons-material/RotateRight';
import ZoomInIcon from '@mui/icons-material/ZoomIn';
import ZoomOutIcon from '@mui/icons-material/ZoomOut';
import VisibilityIcon from '@mui/icons-material/Visibility';
import VisibilityOffIcon from '@mui/icons-material/VisibilityOff';
import ImageIcon from '@mui/icons-material/Image';
import LayersIcon from '@mui/icons-material/Layers';
import FileUploadIcon from '@mui/icons-material/FileUpload';
import FileDownloadIcon from '@mui/icons-material/FileDownload';
import { exportComfyUi, exportControlNetFrame } from '#shared/editor/poseFiles';
import { offerPoseFile } from './ImportDialog';
import type { DragMode } from '#shared/editor/dragJoint';
import type { PartVisibility } from '#shared/editor/editorState';
import type { EditorStore } from './editorStore';

const PARTS: (keyof PartVisibility)[] = ['body', 'hands', 'face', 'feet'];

/** Tools above the stage: drag mode, part visibility, overlays, mirror, group transform, undo. */

/** Tool labels read as words, not shouted. */
const noCaps = { '& .MuiToggleButton-root': { textTransform: 'none', px: 1.25, py: 0.4 } };
export function PoseToolbar({ store }: { store: EditorStore }) {
  const dragMode = useStore(store, (s) => s.ahistoric.dragMode);
  const parts = useStore(store, (s) => s.ahistoric.parts);
  const showPicture = useStore(store, (s) => s.ahistoric.showPicture);
  const showConditioning = useStore(store, (s) => s.ahistoric.showConditioning);
  const selected = useStore(store, (s) => s.ephemeral.selectedPoints.length);
  const undoable = useStore(store, (s) => s.history.past.length > 0);
  const redoable = useStore(store, (s) => s.history.future.length > 0);
  const [mirrorAnchor, setMirrorAnchor] = useState<HTMLElement | null>(null);
  const [exportAnchor, setExportAnchor] = useState<HTMLElement | null>(null);
  const download = (name: string, text: string) => {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const exportAs = (kind: 'frame' | 'all') => {
    setExportAnchor(null);
    const st = store.getState();
    const frame = st.ahistoric.frame;
    if (kind === 'frame') download(`pose_${frame}.json`, exportControlNetFrame(st.poseAt(frame)));
    else
      download(
        'poses_comfyui.json',
        exportComfyUi(Array.from({ length: st.ahistoric.frameCount }, (_, f) => st.poseAt(f))),
      );
  };
  const s = store.getState();
  const tip = (title: string, node: React.ReactElement) => (
    <Tooltip title={title}>
      <span>{node}</span>
    </Tooltip>
  );
  const mirror = (mode: 'flip' | 'leftToRight' | 'rightToLeft') => {
    setMirrorAnchor(null);
    s.mirrorPeople(mode);
  };

  return (
    <Box
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 1,
        px: 1,
        py: 0.5,
        borderBottom: 1,
        borderColor: 'divider',
        flexWrap: 'wrap',
        bgcolor: 'background.paper',
      }}
    >
      <input
        id="pose-file-input"
        type="file"
        accept=".json,application/json,.bvh"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void offerPoseFile(store, f);
          e.target.value = '';
        }}
      />
      {tip(
        'Import a pose file (or drop it on the editor)',
        <IconButton
          aria-label="import pose file"
          size="small"
          onClick={() => document.getElementById('pose-file-input')?.click()}
        >
          <FileUploadIcon fontSize="small" />
        </IconButton>,
      )}
      {tip(
        'Export poses',
        <IconButton
          aria-label="export poses"
          size="small"
          onClick={(e) => setExportAnchor(e.currentTarget)}
        >
          <FileDownloadIcon fontSize="small" />
        </IconButton>,
      )}
      <Menu anchorEl={exportAnchor} open={!!exportAnchor} onClose={() => setExportAnchor(null)}>
        <MenuItem onClick={() => exportAs('frame')}>
          This frame as ControlNet / OpenPose JSON
        </MenuItem>
        <MenuItem onClick={() => exportAs('all')}>All frames as ComfyUI POSE_KEYPOINT</MenuItem>
      </Menu>
      <Divider orientation="vertical" flexItem />
      {tip(
        'Undo (Ctrl+Z)',
        <IconButton aria-label="undo" size="small" disabled={!undoable} onClick={() => s.undo()}>
          <UndoIcon fontSize="small" />
        </IconButton>,
      )}
      {tip(
        'Redo (Ctrl+Shift+Z)',
        <IconButton aria-label="redo" size="small" disabled={!redoable} onClick={() => s.redo()}>
          <RedoIcon fontSize="small" />
        </IconButton>,
      )}
      <Divider orientation="vertical" flexItem />
      <ToggleButtonGroup
        sx={noCaps}
        size="small"
        exclusive
        value={dragMode}
        aria-label="drag mode"
        onChange={(_, v: DragMode | null) => v && s.setView({ dragMode: v })}
      >
        <ToggleButton value="ik" aria-label="inverse kinematics">
          IK
        </ToggleButton>
        <ToggleButton value="fk" aria-label="forward kinematics">
          FK
        </ToggleButton>
        <ToggleButton value="free" aria-label="free move">
          Free
        </ToggleButton>
      </ToggleButtonGroup>
      <ToggleButtonGroup
        sx={noCaps}
        size="small"
        value={PARTS.filter((p) => parts[p])}
        aria-label="visible parts"
        onChange={(_, v: (keyof PartVisibility)[]) =>
          s.setView({
            parts: {
              body: v.includes('body'),
              hands: v.includes('hands'),
              face: v.includes('face'),
              feet: v.includes('feet'),
            },
          })
        }
      >
        {PARTS.map((p) => (
          <ToggleButton
            key={p}
            value={p}
            aria-label={`show ${p}`}
            sx={{ textTransform: 'capitalize' }}
          >
            {p}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <Divider orientation="vertical" flexItem />
      {tip(
        'Picture under the skeleton',
        <ToggleButton
          size="small"
          value="picture"
          selected={showPicture}
          aria-label="show picture"
          onChange={() => s.setView({ showPicture: !showPicture })}
        >
          <ImageIcon fontSize="small" />
        </ToggleButton>,
      )}
      {tip(
        'Overlay the exact conditioning image',
        <ToggleButton
          size="small"
          value="conditioning"
          selected={showConditioning}
          aria-label="show conditioning"
          onChange={() => s.setView({ showConditioning: !showConditioning })}
        >
          <LayersIcon fontSize="small" />
        </ToggleButton>,
      )}
      <Divider orientation="vertical" flexItem />
      {tip(
        'Mirror',
        <IconButton
          aria-label="mirror"
          size="small"
          onClick={(e) => setMirrorAnchor(e.currentTarget)}
        >
          <FlipIcon fontSize="small" />
        </IconButton>,
      )}
      <Menu anchorEl={mirrorAnchor} open={!!mirrorAnchor} onClose={() => setMirrorAnchor(null)}>
        <MenuItem onClick={() => mirror('flip')}>Flip person horizontally</MenuItem>
        <MenuItem onClick={() => mirror('leftToRight')}>Copy left side onto right</MenuItem>
        <MenuItem onClick={() => mirror('rightToLeft')}>Copy right side onto left</MenuItem>
      </Menu>
      {tip(
        'Rotate selection −15°',
        <IconButton
          aria-label="rotate selection left"
          size="small"
          disabled={selected < 2}
          onClick={() => s.transformSelection({ angle: -Math.PI / 12 })}
        >
          <RotateLeftIcon fontSize="small" />
        </IconButton>,
      )}
      {tip(
        'Rotate selection +15°',
        <IconButton
          aria-label="rotate selection right"
          size="small"
          disabled={selected < 2}
          onClick={() => s.transformSelection({ angle: Math.PI / 12 })}
        >
          <RotateRightIcon fontSize="small" />
        </IconButton>,
      )}
      {tip(
        'Shrink selection 10%',
        <IconButton
          aria-label="shrink selection"
          size="small"
          disabled={selected < 2}
          onClick={() => s.transformSelection({ scale: 1 / 1.1 })}
        >
          <ZoomOutIcon fontSize="small" />
        </IconButton>,
      )}
      {tip(
        'Grow selection 10%',
        <IconButton
          aria-label="grow selection"
          size="small"
          disabled={selected < 2}
          onClick={() => s.transformSelection({ scale: 1.1 })}
        >
          <ZoomInIcon fontSize="small" />
        </IconButton>,
      )}
      {tip(
        'Hide selected points (not drawn in the conditioning image)',
        <IconButton
          aria-label="hide points"
          size="small"
          disabled={!selected}
          onClick={() => s.setPointsVisible(false)}
        >
          <VisibilityOffIcon fontSize="small" />
        </IconButton>,
      )}
      {tip(
        'Show selected points',
        <IconButton
          aria-label="show points"
          size="small"
          disabled={!selected}
          onClick={() => s.setPointsVisible(true)}
        >
          <VisibilityIcon fontSize="small" />
        </IconButton>,
      )}
      <Typography variant="caption" color="text.secondary" sx={{ ml: 'auto' }}>
        {selected ? `${selected} point${selected > 1 ? 's' : ''} selected · ` : ''}wheel zoom ·
        Alt+drag pan
      </Typography>
    </Box>
  );
}
