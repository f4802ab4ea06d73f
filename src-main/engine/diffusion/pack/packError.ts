/** A pack that cannot be used, with the part of it that is wrong (for the UI and the CLI). */
export class PackError extends Error {
  constructor(
    message: string,
    /** Folder or file inside the pack the problem is in (`unet`, `tokenizer/vocab.json`, …). */
    readonly where: string,
  ) {
    super(message);
    this.name = 'PackError';
  }
}
