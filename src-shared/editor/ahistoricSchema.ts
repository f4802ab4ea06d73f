import { z } from 'zod';
import { DRAG_MODES } from './dragJoint';
import { DEFAULT_AHISTORIC, type AhistoricState } from './editorState';
import { ONION_SKIN_MODES } from './onionSkin';
import { RULER_UNITS } from './timelineMath';

/**
 * Validation of persisted view settings (they come back from localStorage or a project file). A
 * bad or missing field falls back to its default rather than losing every other setting.
 */
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/);
const d = DEFAULT_AHISTORIC;
export const AhistoricSchema = z.object({
  fps: z.number().positive().max(1000).catch(d.fps),
  frameCount: z.number().int().min(1).max(10_000_000).catch(d.frameCount),
  frame: z.number().int().min(0).catch(d.frame),
  dragMode: z.enum(DRAG_MODES).catch(d.dragMode),
  parts: z
    .object({ body: z.boolean(), hands: z.boolean(), face: z.boolean(), feet: z.boolean() })
    .catch(d.parts),
  onionSkin: z
    .object({
      enabled: z.boolean(),
      before: z.number().int().min(0).max(20),
      after: z.number().int().min(0).max(20),
      mode: z.enum(ONION_SKIN_MODES),
      step: z.number().int().min(1).max(1000),
      colorBefore: colour,
      colorAfter: colour,
      opacity: z.number().min(0).max(1),
    })
    .catch(d.onionSkin),
  showPicture: z.boolean().catch(d.showPicture),
  showConditioning: z.boolean().catch(d.showConditioning),
  conditioningOpacity: z.number().min(0).max(1).catch(d.conditioningOpacity),
  conditioningFeet: z.boolean().catch(d.conditioningFeet),
  stage: z.object({ zoom: z.number().positive(), x: z.number(), y: z.number() }).catch(d.stage),
  timeline: z
    .object({ startFrame: z.number(), pxPerFrame: z.number().positive() })
    .catch(d.timeline),
  rulerUnit: z.enum(RULER_UNITS).catch(d.rulerUnit),
});

export function parseAhistoric(value: unknown): AhistoricState {
  const r = AhistoricSchema.safeParse(value ?? {});
  return r.success ? r.data : { ...DEFAULT_AHISTORIC };
}
