import { describe, expect, it } from 'vitest';
import { Joint, LEFT_HAND } from '#shared/pose/skeleton';
import { renderConditioning } from '#shared/pose/conditioning';
import { evaluateTrack } from '#shared/pose/track';
import { twoPeopleTrack } from '#shared/editor/samplePose';
import { createTrackPose } from '#shared/editor/trackPose';
import { createEditorStore } from './editorStore';

function twoKeyStore() {
  const track = twoPeopleTrack();
  const store = createEditorStore({
    track,
    evaluate: createTrackPose(),
    ahistoric: { frameCount: 100 },
  });
  // a second key per person at frame 40 (arms raised) so frame 20 is an in-between
  const s = store.getState();
  s.setFrame(40);
  for (const id of [0, 1]) {
    const p = s.points(id)!;
    s.beginGesture('joint', id, Joint.lWrist);
    s.dragJointTo(id, Joint.lWrist, p[Joint.lWrist * 3]! + 50, p[Joint.lWrist * 3 + 1]! - 120);
    s.endGesture();
  }
  return store;
}
const xy = (p: Float64Array, i: number) => [p[i * 3]!, p[i * 3 + 1]!] as const;
const dist = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);

describe('editor store', () => {
  it('a drag gesture of many moves on an in-between frame makes one key and one undo step', () => {
    const store = twoKeyStore();
    const s = store.getState();
    s.setFrame(20);
    const before = new Float64Array(s.points(0)!);
    const steps = store.getState().history.past.length;
    s.beginGesture('joint', 0, Joint.rWrist);
    for (let i = 0; i < 30; i++) store.getState().dragJointTo(0, Joint.rWrist, 60 + i, 150 - 2 * i);
    s.endGesture();
    const st = store.getState();
    expect(st.history.past.length).toBe(steps + 1);
    expect(st.track.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 20, 40]);
    expect(dist(xy(st.points(0)!, Joint.rWrist), xy(before, Joint.rWrist))).toBeGreaterThan(10);
    st.undo();
    expect(store.getState().track.people[0]!.keyframes.map((k) => k.frame)).toEqual([0, 40]);
    expect(Array.from(store.getState().points(0)!)).toEqual(Array.from(before));
    expect(store.getState().status).toBe('Undo: Move r_wrist');
  });

  it('K keys every person at the playhead with the evaluated in-between pose', () => {
    const store = twoKeyStore();
    store.getState().setFrame(20);
    const want = evaluateTrack(store.getState().track, 20);
    store.getState().keyCurrentFrame();
    const t = store.getState().track;
    for (const [i, p] of t.people.entries()) {
      expect(p.keyframes.map((k) => k.frame)).toEqual([0, 20, 40]);
      expect(Array.from(p.keyframes[1]!.points)).toEqual(Array.from(want.people[i]!.points));
    }
    expect(store.getState().history.past.at(-1)!.label).toBe('Add keyframe at 20');
  });

  it('moving a multi-selection translates it; rotate/scale act about its pivot; each is one step', () => {
    const store = twoKeyStore();
    const s = store.getState();
    s.setFrame(0);
    s.selectPoints(
      [Joint.lShoulder, Joint.lElbow, Joint.lWrist].map((index) => ({ personId: 1, index })),
    );
    const p0 = new Float64Array(s.points(1)!);
    const n = store.getState().history.past.length;
    store.getState().beginGesture('group');
    const base = new Map([[1, p0]]);
    for (let i = 1; i <= 10; i++) store.getState().transformSelection({ dx: i, dy: -i }, base);
    store.getState().endGesture();
    let p = store.getState().points(1)!;
    expect(xy(p, Joint.lElbow)[0]).toBeCloseTo(xy(p0, Joint.lElbow)[0] + 10, 9);
    expect(xy(p, Joint.rElbow)).toEqual(xy(p0, Joint.rElbow));
    expect(store.getState().history.past.length).toBe(n + 1);
    store.getState().transformSelection({ scale: 2 });
    p = store.getState().points(1)!;
    expect(dist(xy(p, Joint.lShoulder), xy(p, Joint.lWrist))).toBeCloseTo(
      2 * dist(xy(p0, Joint.lShoulder), xy(p0, Joint.lWrist)),
      9,
    );
    expect(store.getState().history.past.length).toBe(n + 2);
  });

  it('hidden points are not drawn in the conditioning image, and showing them again restores it', () => {
    const store = twoKeyStore();
    const s = store.getState();
    s.setFrame(0);
    const frame = () => ({ ...evaluateTrack(store.getState().track, 0) });
    const img0 = renderConditioning(frame());
    const [wx, wy] = xy(s.points(0)!, Joint.lWrist).map(Math.round) as [number, number];
    const px = (img: { data: Uint8Array; width: number }) =>
      Array.from(img.data.subarray((wy * img.width + wx) * 3, (wy * img.width + wx) * 3 + 3));
    expect(px(img0)).not.toEqual([0, 0, 0]);
    s.selectPoints(
      [
        Joint.lElbow,
        Joint.lWrist,
        ...Array.from({ length: 21 }, (_, i) => LEFT_HAND.start + i),
      ].map((index) => ({ personId: 0, index })),
    );
    store.getState().setPointsVisible(false);
    expect(px(renderConditioning(frame()))).toEqual([0, 0, 0]);
    store.getState().setPointsVisible(true);
    expect(Array.from(renderConditioning(frame()).data)).toEqual(Array.from(img0.data));
  });

  it('mirror flips the selected person only; a transition preview plays a clamped range', () => {
    const store = twoKeyStore();
    const s = store.getState();
    s.setFrame(0);
    const other = Array.from(s.points(0)!);
    const p = new Float64Array(s.points(1)!);
    s.selectPoints([{ personId: 1, index: Joint.neck }]);
    store.getState().mirrorPeople('flip');
    const m = store.getState().points(1)!;
    expect(xy(m, Joint.rWrist)[0]).toBeCloseTo(
      2 * xy(p, Joint.neck)[0] - xy(p, Joint.lWrist)[0],
      9,
    );
    expect(Array.from(store.getState().points(0)!)).toEqual(other);
    store.getState().previewRange(90, 120);
    expect(store.getState().ephemeral).toMatchObject({
      playing: true,
      playRange: { from: 90, to: 99 },
    });
    expect(store.getState().ahistoric.frame).toBe(90);
  });

  it('opening another track starts a fresh history', () => {
    const store = twoKeyStore();
    expect(store.getState().canUndo()).toBe(true);
    store.getState().loadTrack(twoPeopleTrack(), 'Restore unsaved edits');
    expect(store.getState().canUndo()).toBe(false);
    expect(store.getState().track.people[0]!.keyframes).toHaveLength(1);
  });
});

describe('editor store: edges', () => {
  const plain = (frameCount = 100) =>
    createEditorStore({
      track: twoPeopleTrack(),
      evaluate: createTrackPose(),
      ahistoric: { frameCount },
    });
  const frames = (store: ReturnType<typeof plain>, person = 0) =>
    store.getState().track.people[person]!.keyframes.map((k) => k.frame);

  it('the playhead never becomes NaN or leaves the track, whatever it is asked', () => {
    const store = plain(100);
    const s = store.getState();
    s.setFrame(41.6);
    expect(store.getState().ahistoric.frame).toBe(42);
    s.setFrame(NaN); // e.g. a timeline scrub with a zero-width view
    expect(store.getState().ahistoric.frame).toBe(42);
    s.setFrame(1e308);
    expect(store.getState().ahistoric.frame).toBe(99);
    s.setFrame(-Infinity);
    expect(store.getState().ahistoric.frame).toBe(0);
    s.setFrame(Infinity);
    expect(store.getState().ahistoric.frame).toBe(99);
  });

  it('undo and redo with nothing to walk change nothing, not even the revision', () => {
    const store = plain();
    const before = store.getState();
    before.undo();
    before.redo();
    const after = store.getState();
    expect(after.track).toBe(before.track);
    expect(after.revision).toBe(before.revision);
    expect(after.status).toBe('');
    expect(after.canUndo()).toBe(false);
    expect(after.canRedo()).toBe(false);
  });

  it('a new edit after undo drops the redo step; every historic change bumps the revision', () => {
    const store = plain();
    const r0 = store.getState().revision;
    store.getState().setFrame(10);
    store.getState().keyCurrentFrame();
    store.getState().undo();
    expect(store.getState().canRedo()).toBe(true);
    store.getState().setFrame(20);
    store.getState().keyCurrentFrame();
    expect(store.getState().canRedo()).toBe(false);
    expect(frames(store)).toEqual([0, 20]);
    expect(store.getState().revision).toBe(r0 + 3);
    // view changes are not history: no revision, no undo step
    store.getState().setView({ showPicture: false });
    store.getState().setFrame(30);
    expect(store.getState().revision).toBe(r0 + 3);
    store.getState().undo();
    expect(frames(store)).toEqual([0]);
    expect(store.getState().ahistoric.showPicture).toBe(false);
  });

  it('actions with nothing selected or nothing copied make no undo step', () => {
    const store = plain();
    const steps = () => store.getState().history.past.length;
    store.getState().copySelectedKeyframes();
    expect(store.getState().ephemeral.clipboard).toBeNull();
    store.getState().paste();
    store.getState().deleteSelectedKeyframes();
    store.getState().moveSelectedKeyframes(5);
    store.getState().setPointsVisible(false);
    store.getState().transformSelection({ dx: 10 });
    expect(steps()).toBe(0);
    expect(frames(store)).toEqual([0]);
  });

  it('dragging a joint of a person that is not there does nothing', () => {
    const store = plain();
    store.getState().beginGesture('joint', 7, 4);
    store.getState().dragJointTo(7, 4, 10, 10);
    store.getState().endGesture();
    expect(store.getState().history.past).toHaveLength(0);
    expect(store.getState().points(7)).toBeUndefined();
  });

  it('selecting the same point or key twice keeps one; additive adds, plain replaces', () => {
    const store = plain();
    const s = store.getState();
    s.selectPoints([
      { personId: 0, index: 1 },
      { personId: 0, index: 1 },
    ]);
    expect(store.getState().ephemeral.selectedPoints).toEqual([{ personId: 0, index: 1 }]);
    s.selectPoints([{ personId: 0, index: 2 }], true);
    s.selectPoints([{ personId: 0, index: 2 }], true);
    expect(store.getState().ephemeral.selectedPoints.filter((r) => r.index === 2)).toHaveLength(1);
    s.selectPoints([{ personId: 1, index: 3 }]);
    expect(store.getState().ephemeral.selectedPoints).toEqual([{ personId: 1, index: 3 }]);
    const key = store.getState().track.people[0]!.keyframes[0]!.id;
    s.selectKeyframes([{ personId: 0, keyframeId: key }]);
    s.selectKeyframes([{ personId: 0, keyframeId: key }], true);
    expect(store.getState().ephemeral.selectedKeyframes).toHaveLength(1);
  });

  it('importing a longer track grows the timeline, is one undo step and clears the selection', () => {
    const store = plain(100);
    const imported = twoPeopleTrack();
    const late = { ...imported.people[0]!.keyframes[0]!, id: 'late', frame: 250 };
    imported.people[0] = {
      ...imported.people[0]!,
      keyframes: [...imported.people[0]!.keyframes, late],
    };
    store.getState().selectPoints([{ personId: 0, index: 1 }]);
    store.getState().setEphemeral({ pendingImport: { fileName: 'walk.json', value: {} } });
    store.getState().importTrack(imported, 'Import walk.json');
    const s = store.getState();
    expect(s.ahistoric.frameCount).toBe(251);
    expect(frames(store)).toEqual([0, 250]);
    expect(s.ephemeral).toMatchObject({ selectedPoints: [], pendingImport: null });
    expect(s.history.past).toHaveLength(1);
    s.undo();
    expect(frames(store)).toEqual([0]);
    // a shorter import never shrinks the timeline
    store.getState().importTrack(twoPeopleTrack(), 'Import short.json');
    expect(store.getState().ahistoric.frameCount).toBe(251);
  });

  it('the evaluated pose follows the track: no stale in-between after an edit', () => {
    let evaluations = 0;
    const evaluate = createTrackPose();
    const store = createEditorStore({
      track: twoPeopleTrack(),
      evaluate: (t, f) => (evaluations++, evaluate(t, f)),
      ahistoric: { frameCount: 100 },
    });
    const s = store.getState();
    s.setFrame(40);
    s.keyCurrentFrame();
    const p = s.points(0)!;
    s.beginGesture('joint', 0, Joint.lWrist);
    s.dragJointTo(0, Joint.lWrist, p[Joint.lWrist * 3]! + 80, p[Joint.lWrist * 3 + 1]!);
    s.endGesture();
    const a = store.getState().poseAt(20);
    const n = evaluations;
    expect(store.getState().poseAt(20)).toBe(a); // cached while the track is the same
    expect(evaluations).toBe(n);
    store.getState().undo();
    const b = store.getState().poseAt(20);
    expect(b).not.toBe(a);
    expect(xy(b.people[0]!.points, Joint.lWrist)[0]).not.toBeCloseTo(
      xy(a.people[0]!.points, Joint.lWrist)[0],
      3,
    );
  });

  it('a transition preview is clamped to the track and forgotten when playback is toggled', () => {
    const store = plain(100);
    store.getState().previewRange(-5, 3.4);
    expect(store.getState().ephemeral.playRange).toEqual({ from: 0, to: 3 });
    expect(store.getState().status).toBe('Preview transition 0–3');
    store.getState().togglePlay(); // stop: the range is forgotten
    expect(store.getState().ephemeral).toMatchObject({ playing: false, playRange: null });
  });
});
