/** The slice of @vladmandic/human's API the built-in extractor uses (its own typings are not loadable by path). */
export interface HumanResultLike {
  error?: string | null;
  body: {
    score: number;
    keypoints: { part: string; position: [number, number, ...number[]]; score: number }[];
  }[];
  hand: { score: number; keypoints: [number, number, ...number[]][] }[];
  /** Objects found by CenterNet (box: x, y, width, height). */
  object?: { label: string; score: number; box: [number, number, number, number] }[];
  face: {
    score: number;
    box: [number, number, number, number];
    mesh: [number, number, ...number[]][];
  }[];
}

export interface HumanLike {
  tf: {
    tensor3d(data: Uint8Array, shape: [number, number, number], dtype: 'int32'): unknown;
    dispose(t: unknown): void;
    io: {
      registerLoadRouter(router: (url: string | string[]) => unknown): void;
      getModelArtifactsForJSON: unknown;
    };
    memory(): { numTensors: number; numBytes: number };
  };
  models: { loaded?: () => string[] };
  load(): Promise<void>;
  detect(input: unknown, config?: unknown): Promise<HumanResultLike>;
}
