/** A diffusion request the engine cannot use as given (unreadable picture, unknown id…). */
export class DiffusionInputError extends Error {
  override name = 'DiffusionInputError';
}
