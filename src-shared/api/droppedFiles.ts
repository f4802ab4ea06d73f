/**
 * What a dropped or chosen file is, from its name and type as the browser reports them, and
 * where each kind goes: pictures to the Character view, pose files and videos to the Editor.
 * Zod-free, so the drop zones load with the first screen.
 */

export const DROPPED_KINDS = ['picture', 'pose', 'video', 'other'] as const;
export type DroppedKind = (typeof DROPPED_KINDS)[number];

/** The pictures the character import reads (sharp; GIF is a video's kind here). */
const PICTURE_EXT = ['png', 'jpg', 'jpeg', 'webp', 'avif', 'tif', 'tiff', 'bmp'];
/** Pose files the editor's importers read (JSON dialects, BVH motion capture). */
const POSE_EXT = ['json', 'bvh'];
/** Containers ffmpeg reads that people film in or export to. */
const VIDEO_EXT = [
  'mp4',
  'm4v',
  'mov',
  'webm',
  'mkv',
  'avi',
  'mpg',
  'mpeg',
  'ogv',
  'gif',
  'flv',
  'wmv',
  '3gp',
  'ts',
  'mts',
];

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The kind of a file: the extension decides, the MIME type (often empty) is a fallback. */
export function droppedKind(name: string, type = ''): DroppedKind {
  const ext = extension(name);
  if (PICTURE_EXT.includes(ext)) return 'picture';
  if (POSE_EXT.includes(ext)) return 'pose';
  if (VIDEO_EXT.includes(ext)) return 'video';
  if (ext === '') {
    if (type === 'image/gif') return 'video';
    if (type.startsWith('image/')) return 'picture';
    if (type.startsWith('video/')) return 'video';
    if (type === 'application/json') return 'pose';
  }
  return 'other';
}

/** The places that take drops, and what each takes. */
export const DROP_TARGETS = {
  character: { takes: ['picture'], says: 'Drop the picture to replace the character’s picture' },
  motion: { takes: ['pose', 'video'], says: 'Drop a pose file or a video to import its motion' },
} as const satisfies Record<string, { takes: readonly DroppedKind[]; says: string }>;
export type DropTarget = keyof typeof DROP_TARGETS;

const KIND_WORDS: Record<DroppedKind, string> = {
  picture: 'a picture',
  pose: 'a pose file',
  video: 'a video',
  other: 'not a picture, pose file or video',
};

/**
 * Why `target` does not take this file, in the user's words (with where it does go), or null
 * when it does. Only the first file of a drop is used; more are mentioned.
 */
export function dropRefusal(
  target: DropTarget,
  files: readonly { name: string; type?: string }[],
): string | null {
  const first = files[0];
  if (!first) return 'Nothing was dropped: drag a file from your computer.';
  const kind = droppedKind(first.name, first.type);
  if ((DROP_TARGETS[target].takes as readonly DroppedKind[]).includes(kind)) return null;
  const where =
    kind === 'picture'
      ? 'Drop pictures on the Character view.'
      : kind === 'pose' || kind === 'video'
        ? 'Drop pose files and videos on the Editor.'
        : target === 'character'
          ? 'The Character view takes PNG, JPEG or WebP pictures.'
          : 'The Editor takes pose files (JSON, BVH) and videos (MP4, WebM, MOV, MKV).';
  return `${first.name} is ${KIND_WORDS[kind]}: ${target === 'character' ? 'the Character view' : 'the Editor'} does not take it. ${where}`;
}
