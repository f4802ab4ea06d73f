/** Extraction cannot go on (unreadable input, no video stream, bad options): one clear line. */
export class ExtractError extends Error {
  override name = 'ExtractError';
}

/** The user cancelled; the partial result was not written anywhere. */
export class ExtractCancelled extends Error {
  override name = 'ExtractCancelled';
  constructor() {
    super('extraction cancelled');
  }
}
