import type { VideoImportStatus, VideoPerson } from '#shared/api/videoImport';

/** "about 1 min 20 s left" — rounded the way a person reads a countdown. */
export function etaText(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating time left…';
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `about ${s} s left`;
  const m = Math.floor(s / 60);
  if (m < 60) return `about ${m} min ${String(s % 60).padStart(2, '0')} s left`;
  return `about ${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min left`;
}

/** The line under the progress bar while the video is being posed. */
export function extractingText(s: VideoImportStatus): string {
  if (s.frame === 0) return `Starting the pose extractor for ${s.fileName}…`;
  return `Posing frame ${s.frame} of ${Math.max(s.total, s.frame)} · ${etaText(s.etaSeconds)}`;
}

/** Where a person stands among the others on the still: left, right, middle, "2nd from left". */
function placeOf(p: VideoPerson, people: readonly VideoPerson[]): string {
  const centre = (q: VideoPerson) => (q.box ? q.box.x + q.box.width / 2 : NaN);
  const placed = people.filter((q) => q.box).sort((a, b) => centre(a) - centre(b));
  const rank = placed.indexOf(p);
  if (rank < 0 || placed.length < 2) return '';
  if (rank === 0) return ' · left';
  if (rank === placed.length - 1) return ' · right';
  if (placed.length === 3) return ' · middle';
  const nth = rank + 1;
  return ` · ${nth}${nth === 2 ? 'nd' : nth === 3 ? 'rd' : 'th'} from left`;
}

/** "Person 2 · right · in 40 frames" */
export function personLabel(p: VideoPerson, index: number, people: readonly VideoPerson[]): string {
  return `Person ${index + 1}${placeOf(p, people)} · in ${p.frames} frame${p.frames === 1 ? '' : 's'}`;
}

/** Bytes as the upload line shows them. */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
