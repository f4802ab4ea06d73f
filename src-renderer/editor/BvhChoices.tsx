import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { BVH_CAMERAS, BVH_PROJECTIONS } from '#shared/pose/bvh/camera';
import {
  BVH_CAMERA_LABELS,
  BVH_PROJECTION_LABELS,
  type BvhSummary,
} from '#shared/pose/bvh/options';
import type { BvhImportChoices } from '#shared/api/bvhImport';

const FAMILY: Record<BvhSummary['family'], string> = {
  fair: 'AnimatedDrawings (FAIR)',
  cmu: 'CMU',
  mixamo: 'Mixamo / Rokoko',
  generic: 'other named rig',
};

/** "AnimatedDrawings (FAIR) skeleton, 24 joints · 839 frames, 7.00 s → 168 poses at 24 fps" */
export function bvhClipLine(s: BvhSummary, poses: number): string {
  const seconds = s.sourceFrames * s.frameTime;
  return (
    `${FAMILY[s.family]} skeleton, ${s.joints.length} joints · ${s.sourceFrames} frames at ` +
    `${(1 / s.frameTime).toFixed(2)} fps, ${seconds.toFixed(2)} s → ${poses} poses at ${s.fps} fps`
  );
}

/**
 * The BVH import's choices: camera, projection and "keep in place" — radio groups and a checkbox
 * with visible labels, so Tab, the arrow keys and Space work as everywhere else.
 */
export function BvhChoices({
  value,
  onChange,
  retarget,
}: {
  value: BvhImportChoices;
  onChange: (next: BvhImportChoices) => void;
  /** Whether the clip is retargeted onto the project's character, or why it could not be. */
  retarget: { retargeted: boolean; retargetProblem?: string };
}) {
  return (
    <Stack spacing={1.5} sx={{ minWidth: 200 }}>
      <FormControl component="fieldset">
        <FormLabel component="legend">Camera</FormLabel>
        <RadioGroup
          row
          name="bvh-camera"
          value={value.camera}
          onChange={(_, v) => onChange({ ...value, camera: v as BvhImportChoices['camera'] })}
        >
          {BVH_CAMERAS.map((c) => (
            <FormControlLabel
              key={c}
              value={c}
              control={<Radio size="small" />}
              label={BVH_CAMERA_LABELS[c]}
            />
          ))}
        </RadioGroup>
      </FormControl>
      <FormControl component="fieldset">
        <FormLabel component="legend">Projection</FormLabel>
        <RadioGroup
          row
          name="bvh-projection"
          value={value.projection}
          onChange={(_, v) =>
            onChange({ ...value, projection: v as BvhImportChoices['projection'] })
          }
        >
          {BVH_PROJECTIONS.map((p) => (
            <FormControlLabel
              key={p}
              value={p}
              control={<Radio size="small" />}
              label={BVH_PROJECTION_LABELS[p]}
            />
          ))}
        </RadioGroup>
      </FormControl>
      <FormControlLabel
        control={
          <Checkbox
            size="small"
            checked={value.inPlace}
            onChange={(e) => onChange({ ...value, inPlace: e.target.checked })}
          />
        }
        label="Keep in place (the hips do not travel; jumps and crouches stay)"
      />
      <Typography
        variant="caption"
        color={retarget.retargetProblem ? 'warning.main' : 'text.secondary'}
        data-testid="bvh-retarget"
      >
        {retarget.retargeted
          ? "Retargeted to the character's proportions (its reference pose)."
          : retarget.retargetProblem
            ? `Not retargeted: the character's pose ${retarget.retargetProblem}. Place its neck and hips on the Character page; until then the motion is fitted into the canvas.`
            : 'The project has no character pose yet: the motion is fitted into the canvas.'}
      </Typography>
    </Stack>
  );
}
