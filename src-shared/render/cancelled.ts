/**
 * A render, preview or export stopped on purpose (Cancel, Ctrl-C, a closed window). Every layer
 * throws and catches this one class, so it lives in the shared domain: the engine, the scheduler
 * and the services all tell a cancel from a failure by `instanceof CancelledError`.
 */
export class CancelledError extends Error {
  constructor(message = 'render cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}
