import { describe, expect, it } from 'vitest';
import { nextStep, renderBlocker, studioSteps, type StudioProgress } from './studioSteps';

const joint = (index: number, confidence = 1, x = 100, y = 100) => ({
  index,
  name: `j${index}`,
  x,
  y,
  confidence,
});
const picture = { picture: 'assets/me.png', pictureWidth: 640, pictureHeight: 480 };
const torso = [joint(1), joint(8), joint(11)];

function progress(over: {
  picture?: boolean;
  joints?: ReturnType<typeof joint>[];
  keyframes?: number;
}): StudioProgress {
  return {
    project: { keyframes: over.keyframes ?? 0 },
    character: {
      ...(over.picture === false ? { picture: null, pictureWidth: 0, pictureHeight: 0 } : picture),
      joints: over.joints ?? [],
    },
  };
}

describe('the guided order Picture → Pose → Motion → Render', () => {
  it('a new project: only Render is blocked, and it asks for the picture first', () => {
    const p = progress({ picture: false });
    expect(renderBlocker(p)?.needs).toBe('picture');
    expect(renderBlocker(p)?.message).toMatch(/^Add a picture first/);
    expect(nextStep(p)).toBe('picture');
    const pose = studioSteps(p).find((s) => s.step === 'pose')!;
    expect(pose.blocker?.needs).toBe('picture');
  });

  it('a picture without a pose asks for the pose, naming Detect pose', () => {
    const p = progress({ keyframes: 10 });
    expect(renderBlocker(p)?.needs).toBe('pose');
    expect(renderBlocker(p)?.message).toContain('Detect pose');
    expect(nextStep(p)).toBe('pose');
  });

  it('a pose needs the neck and a hip placed, with finite coordinates', () => {
    expect(renderBlocker(progress({ joints: [joint(1)], keyframes: 3 }))?.needs).toBe('pose');
    expect(renderBlocker(progress({ joints: [joint(8), joint(11)], keyframes: 3 }))?.needs).toBe(
      'pose',
    );
    expect(renderBlocker(progress({ joints: [joint(1), joint(8, 0)], keyframes: 3 }))?.needs).toBe(
      'pose',
    );
    expect(
      renderBlocker(progress({ joints: [joint(1, 1, NaN), joint(8)], keyframes: 3 }))?.needs,
    ).toBe('pose');
    expect(renderBlocker(progress({ joints: [joint(1), joint(11)], keyframes: 3 }))).toBeNull();
  });

  it('a pose without a motion asks for a motion, naming the picker', () => {
    const p = progress({ joints: torso, keyframes: 0 });
    expect(renderBlocker(p)?.needs).toBe('motion');
    expect(renderBlocker(p)?.message).toContain('Pick a motion');
    expect(nextStep(p)).toBe('motion');
  });

  it('picture, pose and a motion with one key: Render can work', () => {
    const p = progress({ joints: torso, keyframes: 1 });
    expect(renderBlocker(p)).toBeNull();
    expect(nextStep(p)).toBe('render');
    expect(studioSteps(p).map((s) => [s.step, s.done])).toEqual([
      ['picture', true],
      ['pose', true],
      ['motion', true],
      ['render', false],
    ]);
  });

  it('joints left on a picture that was removed do not count as a pose', () => {
    expect(renderBlocker(progress({ picture: false, joints: torso, keyframes: 5 }))?.needs).toBe(
      'picture',
    );
  });

  it('no project or no character yet: everything is still to do', () => {
    const p: StudioProgress = { project: null, character: null };
    expect(renderBlocker(p)?.needs).toBe('picture');
    expect(studioSteps(p).every((s) => !s.done)).toBe(true);
  });

  it('never names a file or a field of project.json', () => {
    for (const p of [progress({ picture: false }), progress({}), progress({ joints: torso })])
      expect(renderBlocker(p)?.message).not.toMatch(/project\.json|characters|tracks|\//);
  });
});
