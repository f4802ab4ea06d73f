/** The `video.*` methods of the API, as ApiService registers them (one line there). */
import type { ApiParams, ApiResult } from '#shared/api/methods';
import type { videoImportMethods } from '#shared/api/videoImport';
import { EngineClient } from '#main/engine/client/engineClient';
import { resolveFfmpeg, resolveFfprobe } from '#main/media/ffmpegBinary';
import type { SettingsService } from '#main/services/settings/settingsService';
import type { ProjectSession } from '#main/services/api/ports';
import type { VideoImportTools } from './videoImportJob';
import { VideoImports } from './videoImports';

type VideoMethod = keyof typeof videoImportMethods;
type VideoHandlers = {
  [M in VideoMethod]: (p: ApiParams<M>) => Promise<ApiResult<M>>;
};

/** ffmpeg as the settings choose it, and a fresh engine process per import (cancel ends it). */
export function studioVideoTools(settings: SettingsService): () => VideoImportTools {
  return () => {
    const ffmpeg = resolveFfmpeg({ settingsPath: settings.get().ffmpegPath });
    return {
      ffmpeg: ffmpeg.path,
      ffprobe: resolveFfprobe(ffmpeg),
      startEngine: () => EngineClient.start(),
    };
  };
}

export function videoImportHandlers(
  videos: VideoImports,
  project: () => ProjectSession,
): VideoHandlers {
  return {
    'video.uploadPart': async (p) => {
      project();
      return { received: await videos.uploadPart(p) };
    },
    'video.startImport': (p) => videos.start(project(), p.uploadId, p.fileName),
    'video.importStatus': async (p) => videos.status(p.importId),
    'video.cancelImport': (p) => videos.cancel(p.importId),
    'video.motion': (p) => videos.motion(project(), p),
    'video.keepAudio': (p) => videos.keepAudio(project(), p.importId),
  };
}
