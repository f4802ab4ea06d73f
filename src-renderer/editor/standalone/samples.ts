import { importCocoKeypoints } from '#shared/pose/formats/index';
import { Joint } from '#shared/pose/skeleton';
import type { Keyframe, PoseTrack } from '#shared/pose/types';
import { dragJoint } from '#shared/editor/dragJoint';
import { standingPerson } from '#shared/editor/samplePose';
import { planRender, type RenderPlan } from '#shared/render/plan';
import type { SegmentState } from '#shared/editor/editorState';
import skierKeypoints from './sample/skier_keypoints.json';
import skierUrl from './sample/skier.jpg?url';

export interface Sample {
  track: PoseTrack;
  picture: string | null;
  frameCount: number;
  fps: number;
  plan: RenderPlan;
  states: Map<number, SegmentState>;
}

const key = (id: string, frame: number, points: Float64Array): Keyframe => ({
  id,
  frame,
  points,
  easing: { kind: 'linear' },
});

function demoPlan(frameCount: number): { plan: RenderPlan; states: Map<number, SegmentState> } {
  const plan = planRender(
    {
      from: 0,
      to: frameCount,
      segmentLength: 24,
      segmentOverlap: 6,
      strategy: 'fused',
      anchorFrame: -1,
    },
    { frameHash: (f) => String(f), settingsHash: 'standalone' },
  );
  // A plausible mix of states so every colour of the lane is visible in the standalone page.
  const cycle: SegmentState[] = ['done', 'cached', 'rendering', 'stale'];
  return { plan, states: new Map(plan.segments.map((s, i) => [s.index, cycle[Math.min(i, 3)]!])) };
}

/** The skier of COCO val2017 #785 (real photo and real annotation), with one edited keyframe. */
function skier(): Sample {
  const imported = importCocoKeypoints(skierKeypoints).frames[0]!;
  const start = imported.people[0]!.points;
  let raised = dragJoint(start, Joint.lWrist, 470, 60, 'ik');
  raised = dragJoint(raised, Joint.rWrist, 300, 80, 'ik');
  const frameCount = 96;
  return {
    track: {
      width: imported.width,
      height: imported.height,
      people: [
        {
          personId: 0,
          name: 'Skier',
          keyframes: [key('s0', 0, start), key('s1', 48, raised), key('s2', 95, start)],
        },
      ],
    },
    picture: skierUrl,
    frameCount,
    fps: 24,
    ...demoPlan(frameCount),
  };
}

/** Two full 136-point people on a 10,000-frame track with 1,000 keyframes each (benchmark). */
function bench(): Sample {
  const people = [0, 1].map((pid) => {
    const base = standingPerson(pid ? 560 : 240, 90);
    const keyframes: Keyframe[] = [];
    for (let i = 0; i < 1000; i++) {
      const a = Math.sin(i * 0.7 + pid) * 60;
      let p = dragJoint(base, Joint.lWrist, (pid ? 560 : 240) + 90 + a * 0.3, 150 - a, 'ik');
      p = dragJoint(p, Joint.rWrist, (pid ? 560 : 240) - 90 - a * 0.3, 150 + a * 0.5, 'ik');
      keyframes.push(key(`p${pid}-${i}`, i * 10, p));
    }
    return { personId: pid, name: `Dancer ${pid + 1}`, keyframes };
  });
  const frameCount = 10_000;
  return {
    track: { width: 800, height: 480, people },
    picture: null,
    frameCount,
    fps: 24,
    ...demoPlan(frameCount),
  };
}

export function loadSample(name: string | null): Sample {
  return name === 'bench' ? bench() : skier();
}
