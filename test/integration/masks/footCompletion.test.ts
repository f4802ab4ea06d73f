/**
 * Feet the segmentation stopped short of, on the real photos: their ground-truth masks cut at the
 * ankles (everything past each ankle, on the far side from the knee, within 0.6 shin lengths) stand
 * for a model that missed the shoes. Completing the feet from the pose must bring most of the
 * shoe pixels back and add almost nothing outside the truth; on the uncut truth (both feet there)
 * it must add nothing. No model runs here: the photos and their hand-checked / COCO masks only.
 */
import { describe, expect, it } from 'vitest';
import { loadPicture } from '#main/engine/puppet/loadPicture';
import { completeFeet } from '#shared/puppet/footCompletion';
import { maskIoU } from '#shared/puppet/maskRefine';
import { cutAtAnkles } from '../../../bench/masks/cutFeet';
import { PHOTO_CASES, firstPerson } from '../../../bench/masks/photoCases';

/** The least each photo must get back (share of the cut truth pixels) — measured 0.95 / 0.18. */
const RECOVERED: Record<string, number> = { SPIN: 0.8, COCO: 0.1 };

describe('feet completed on real photos', { timeout: 60_000 }, () => {
  for (const c of PHOTO_CASES) {
    it(c.name, async () => {
      const pic = await loadPicture(c.photo);
      const { width: W, height: H } = pic;
      const ref = firstPerson(c.pose, W, H);
      const truth = await c.truth(W, H);
      expect(completeFeet(truth, pic.data, W, H, ref).added).toBe(0);

      const cut = cutAtAnkles(truth, W, H, ref);
      const done = completeFeet(cut, pic.data, W, H, ref).mask;
      let lost = 0;
      let back = 0;
      let wrong = 0;
      for (let i = 0; i < W * H; i++) {
        if (truth[i] && !cut[i]) {
          lost++;
          if (done[i]) back++;
        }
        if (done[i] && !truth[i]) wrong++;
      }
      expect(lost).toBeGreaterThan(100);
      expect(back / lost).toBeGreaterThanOrEqual(RECOVERED[c.name.split(' ')[0]!]!);
      // Added outside the truth: a sliver of edge, not background.
      expect(wrong).toBeLessThan(0.25 * back);
      expect(maskIoU(done, truth)).toBeGreaterThan(maskIoU(cut, truth));
    });
  }
});
