import type { PoseStudioClient } from '#shared/api/index';
import { TrackSchema } from '#shared/project/schema';
import type { TrackJson } from '#shared/project/schema';

/**
 * A PoseStudioClient holding one project's track in memory, for the standalone page's
 * `?sample=project` mode: `track.get` / `track.save` validate with the project's TrackSchema like
 * the real services do. Every other method is refused, so the page cannot pretend to render.
 */
export function memoryClient(initial: TrackJson | null): PoseStudioClient & { saved: TrackJson[] } {
  let track = initial;
  const saved: TrackJson[] = [];
  return {
    transport: 'websocket',
    saved,
    async call(method, params) {
      if (method === 'track.get') return track as never;
      if (method === 'track.save') {
        const r = TrackSchema.safeParse((params as { track: unknown }).track);
        if (!r.success) {
          // Name the field, as the real services do ("track.save: fps: …").
          const issue = r.error.issues[0]!;
          const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
          throw new Error(`track.save: ${at}${issue.message}`);
        }
        track = r.data;
        saved.push(r.data);
        return {
          path: 'memory',
          name: 'Standalone',
          width: r.data.width,
          height: r.data.height,
          fps: r.data.fps,
          frameCount: 0,
          people: r.data.people.length,
          keyframes: 0,
        } as never;
      }
      throw new Error(`${method} is not available in the standalone editor`);
    },
    on: () => () => {},
    mediaUrl: (p) => p,
  };
}
