/**
 * The puppet on the real photos: the walk cycle rendered at the photo's own size (its frames for a
 * contact sheet), and the character mask the puppet made against the ground-truth outline where
 * the fixture has one (the COCO skier's segmentation polygon).
 */
import { setupPuppetCharacter } from '#main/engine/puppet/puppetCharacter';
import type { RgbImage } from '#shared/image/rgbImage';
import { walkCycle } from '#shared/pose/motions/limbMotions';
import { fillPolygons, maskIou } from '#shared/puppet/checks/outline';
import type { Photo } from './fixtures';
import type { PuppetDriver } from './puppetDriver';
import { SHEET_WALK_PHASES } from './evaluate';

export interface PhotoReport {
  photo: string;
  setupMs: number;
  warnings: string[];
  frames: RgbImage[];
  /** Mask IoU against the ground-truth outline (undefined: no outline for this photo). */
  maskIou?: number;
  maskSource?: string;
}

export async function evaluatePhoto(driver: PuppetDriver, p: Photo): Promise<PhotoReport> {
  const poses = SHEET_WALK_PHASES.map((phase) => walkCycle(p.reference, phase));
  const { info, frames } = await driver.renderOnce(p.path, p.reference, poses);
  const report: PhotoReport = {
    photo: p.name,
    setupMs: info.setupMs,
    warnings: info.warnings,
    frames,
  };
  if (p.outline) {
    // The mask is not part of the engine's answer (yet): set the character up in this process,
    // through the same public setup, and read its mask.
    const c = await setupPuppetCharacter({ picturePath: p.path, referencePose: p.reference });
    report.maskIou = maskIou(c.mask, fillPolygons(p.outline, p.width, p.height));
    report.maskSource = c.maskSource;
  }
  return report;
}
