import sharp from 'sharp';

export async function pictureSize(file: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(file).metadata();
  if (!meta.width || !meta.height) throw new Error(`${file}: not a picture`);
  return { width: meta.width, height: meta.height };
}
