import type { Angles } from './sampleRig';

/** The sample motions as functions of time (seconds); sampled into keyframes by makeSamples.ts. */
const TAU = 2 * Math.PI;
const s = Math.sin;
const c = Math.cos;

export const MOTIONS: Record<string, { name: string; seconds: number; at(t: number): Angles }> = {
  wave: {
    name: 'Wave',
    seconds: 10,
    at: (t) => {
      const up = Math.min(1, t / 0.8) * Math.min(1, (10 - t) / 0.8); // raise, wave, lower
      return {
        rShoulder: up * 2.5,
        rElbow: up * (0.5 + 0.45 * s(TAU * 1.6 * t)),
        lShoulder: -0.1 - 0.05 * s(TAU * 0.5 * t),
        lElbow: -0.15,
        torso: -0.05 * up + 0.02 * s(TAU * 0.5 * t),
        head: 0.08 * s(TAU * 0.8 * t),
        y: 2 * s(TAU * 1.6 * t),
      };
    },
  },
  walk: {
    name: 'Walk',
    seconds: 10,
    at: (t) => {
      const step = TAU * 1.0 * t; // one stride per second
      return {
        x: 70 * s((TAU * t) / 10),
        y: -6 * Math.abs(s(step)),
        rHip: 0.18 * s(step),
        rKnee: -0.35 * Math.max(0, s(step)),
        lHip: -0.18 * s(step),
        lKnee: 0.35 * Math.max(0, -s(step)),
        rShoulder: -0.35 * s(step),
        rElbow: 0.25,
        lShoulder: -0.35 * s(step),
        lElbow: -0.25,
        torso: 0.04 * s(step),
        head: -0.03 * s(step),
      };
    },
  },
  jump: {
    name: 'Jump',
    seconds: 10,
    at: (t) => {
      const p = (t % 2) / 2; // one jump every 2 s: crouch, take off, fly, land
      const crouch =
        p < 0.25 ? s((p / 0.25) * Math.PI) : p > 0.8 ? s(((p - 0.8) / 0.2) * Math.PI) * 0.7 : 0;
      const air = p >= 0.3 && p <= 0.8 ? s(((p - 0.3) / 0.5) * Math.PI) : 0;
      const arms = p < 0.3 ? -0.4 * crouch : 2.6 * air;
      return {
        y: 30 * crouch - 110 * air,
        rHip: 0.35 * crouch - 0.1 * air,
        rKnee: -0.7 * crouch + 0.2 * air,
        lHip: -0.35 * crouch + 0.1 * air,
        lKnee: 0.7 * crouch - 0.2 * air,
        rShoulder: arms,
        rElbow: 0.2,
        lShoulder: -arms,
        lElbow: -0.2,
        torso: 0.03 * crouch,
        head: -0.05 * air,
      };
    },
  },
  dance: {
    name: 'Dance',
    seconds: 12,
    at: (t) => {
      const beat = TAU * 2 * t * 0.5; // 2 beats per second
      const bar = Math.floor(t / 2) % 3; // three moves, two seconds each
      const sway = s(beat);
      const base: Angles = {
        x: 18 * sway,
        y: 6 * Math.abs(c(beat)),
        torso: 0.12 * sway,
        head: -0.15 * sway,
        rHip: 0.12 * sway,
        lHip: 0.12 * sway,
        rKnee: -0.15 * Math.max(0, sway),
        lKnee: 0.15 * Math.max(0, -sway),
      };
      if (bar === 0)
        return {
          ...base,
          rShoulder: 2.2 + 0.4 * sway,
          rElbow: 0.6,
          lShoulder: -2.2 + 0.4 * sway,
          lElbow: -0.6,
        };
      if (bar === 1)
        return {
          ...base,
          rShoulder: 1.4 + 1.0 * s(beat * 2),
          rElbow: 1.2,
          lShoulder: -0.3,
          lElbow: -1.8 * Math.max(0, c(beat)),
        };
      return {
        ...base,
        rShoulder: 0.9 * (1 + c(beat)),
        rElbow: -0.8,
        lShoulder: -0.9 * (1 - c(beat)),
        lElbow: 0.8,
      };
    },
  },
};
