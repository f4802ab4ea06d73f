import type { Character, ProjectSummary } from './model';

/**
 * The guided order a new user follows: a picture of the character, its pose on that picture, a
 * motion for it to perform, then the render. Each step says whether it is done and, when it
 * cannot work yet, what is missing and how to fix it in the user's words (never a field of
 * project.json). One rule for every place that asks: the steps bar, the rail's badges and the
 * Render button.
 */
export const STUDIO_STEPS = ['picture', 'pose', 'motion', 'render'] as const;
export type StudioStep = (typeof STUDIO_STEPS)[number];

/** The view where each step is done (the studio store's view names). */
export const STEP_VIEW = {
  picture: 'character',
  pose: 'character',
  motion: 'editor',
  render: 'render',
} as const satisfies Record<StudioStep, string>;

export const STEP_LABEL: Record<StudioStep, string> = {
  picture: 'Picture',
  pose: 'Pose',
  motion: 'Motion',
  render: 'Render',
};

/** What is missing before a step can work, and what to do about it. */
export interface StepBlocker {
  /** The step that has to be done first. */
  needs: Exclude<StudioStep, 'render'>;
  message: string;
}

export interface StepState {
  step: StudioStep;
  /** Its work is there (the picture imported, the pose placed, a motion with keys). */
  done: boolean;
  /** Null when the step can be worked on now. */
  blocker: StepBlocker | null;
}

/** What the readiness rule reads: the open project's summary and its character. */
export interface StudioProgress {
  project: Pick<ProjectSummary, 'keyframes'> | null;
  character: Pick<Character, 'picture' | 'pictureWidth' | 'pictureHeight' | 'joints'> | null;
}

// COCO body indices of the torso: the retargeting scales a motion by neck → mid-hip, so a pose
// without the neck and a hip cannot be animated (see src-shared/pose/geometry.ts torsoSize).
const NECK = 1;
const HIPS = [8, 11];

const MESSAGES: Record<StepBlocker['needs'], string> = {
  picture:
    'Add a picture first: drop one on the Character view or click Import picture on the Character view.',
  pose: "Place the character's pose: click Detect pose on the Character view, or drag its neck and hips onto the picture.",
  motion:
    'Pick a motion first: open the Editor and click Pick a motion, or import a pose file or BVH clip there.',
};

function placed(character: StudioProgress['character'], index: number): boolean {
  const j = character?.joints.find((k) => k.index === index);
  return j !== undefined && j.confidence > 0 && Number.isFinite(j.x) && Number.isFinite(j.y);
}

export function hasPicture(character: StudioProgress['character']): boolean {
  return (
    character !== null &&
    character.picture !== null &&
    character.pictureWidth > 0 &&
    character.pictureHeight > 0
  );
}

export function hasPose(character: StudioProgress['character']): boolean {
  return hasPicture(character) && placed(character, NECK) && HIPS.some((h) => placed(character, h));
}

/** The state of every step, in order. */
export function studioSteps(progress: StudioProgress): StepState[] {
  const done = {
    picture: hasPicture(progress.character),
    pose: hasPose(progress.character),
    motion: (progress.project?.keyframes ?? 0) > 0,
  };
  const blocker = (needs: StepBlocker['needs']): StepBlocker => ({
    needs,
    message: MESSAGES[needs],
  });
  const firstMissing = (...needs: StepBlocker['needs'][]) => {
    const n = needs.find((k) => !done[k]);
    return n ? blocker(n) : null;
  };
  return [
    { step: 'picture', done: done.picture, blocker: null },
    { step: 'pose', done: done.pose, blocker: firstMissing('picture') },
    // A motion can be picked before the pose is placed; it is retargeted when the pose is there.
    { step: 'motion', done: done.motion, blocker: null },
    { step: 'render', done: false, blocker: firstMissing('picture', 'pose', 'motion') },
  ];
}

/** Why a render cannot start yet (null: it can). */
export function renderBlocker(progress: StudioProgress): StepBlocker | null {
  return studioSteps(progress).find((s) => s.step === 'render')!.blocker;
}

/** The first step still to do: where a freshly opened project should take the user. */
export function nextStep(progress: StudioProgress): StudioStep {
  const steps = studioSteps(progress);
  return steps.find((s) => s.step !== 'render' && !s.done)?.step ?? 'render';
}
