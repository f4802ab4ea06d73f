import { VIDEO_PART_BYTES, type VideoImportStatus } from '#shared/api/videoImport';
import { api } from '../../api/client';

function readBase64(part: Blob, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error(`could not read ${name}`));
    reader.readAsDataURL(part);
  });
}

/**
 * Sends a video in parts of VIDEO_PART_BYTES (the host writes them to a temporary file) and
 * starts its import. `stopped()` is asked between parts, so Cancel stops the upload too.
 */
export async function sendVideo(
  file: File,
  onSent: (bytes: number) => void,
  stopped: () => boolean,
): Promise<VideoImportStatus | null> {
  // getRandomValues, not randomUUID: a page served over plain http is not a secure context.
  const uploadId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  for (let offset = 0; offset < file.size; offset += VIDEO_PART_BYTES) {
    if (stopped()) return null;
    const part = file.slice(offset, offset + VIDEO_PART_BYTES);
    const { received } = await api.call('video.uploadPart', {
      uploadId,
      offset,
      total: file.size,
      dataBase64: await readBase64(part, file.name),
    });
    onSent(received);
  }
  if (stopped()) return null;
  return api.call('video.startImport', { uploadId, fileName: file.name });
}
