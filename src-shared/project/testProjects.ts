/** Small valid projects for tests (and a picture-less pose): plain data, no file system. */
import { PROJECT_VERSION, type ProjectInput } from './schema';

export function points(fill: (i: number) => number = (i) => (i % 3 === 2 ? 1 : i)): number[] {
  return Array.from({ length: 408 }, (_, i) => fill(i));
}

/** A project with one character, one track of two people and a diffusion-free puppet render. */
export function sampleProject(): ProjectInput {
  return {
    version: PROJECT_VERSION,
    name: 'Sample',
    characters: [
      { id: 'hero', name: 'Hero', picture: 'assets/hero.png', referencePose: points() },
      {
        id: 'sidekick',
        name: 'Sidekick',
        picture: 'assets/sidekick.png',
        referencePose: points(),
        mask: 'assets/sidekick-mask.png',
        referenceFrames: [{ picture: 'assets/sidekick-2.png', pose: points() }],
      },
    ],
    tracks: [
      {
        id: 'walk',
        name: 'Walk',
        width: 512,
        height: 512,
        fps: 24,
        people: [
          {
            personId: 0,
            keyframes: [
              { id: 'k0', frame: 0, points: points(), easing: { kind: 'hold' } },
              { id: 'k1', frame: 12, points: points(), easing: { kind: 'linear' } },
            ],
          },
          {
            personId: 1,
            name: 'Friend',
            keyframes: [
              { id: 'k2', frame: 0, points: points() },
              { id: 'k3', frame: 10, points: points() },
              {
                id: 'k4',
                frame: 20,
                points: points(),
                easing: { kind: 'bezier', x1: 0.42, y1: 0, x2: 0.58, y2: 1 },
              },
              { id: 'k5', frame: 30, points: points() },
            ],
          },
        ],
      },
    ],
    output: { width: 512, height: 512, fps: 24, range: { from: 0, to: 48 }, format: 'mp4' },
    generator: { id: 'puppet', params: {} },
    render: {
      segmentLength: 24,
      segmentOverlap: 0,
      strategy: 'independent',
      seed: 7,
      characterId: 'hero',
      trackId: 'walk',
    },
  };
}
