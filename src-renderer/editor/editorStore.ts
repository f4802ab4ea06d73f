import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Easing, PoseFrame, PoseTrack } from '#shared/pose/types';
import { POINT_NAMES } from '#shared/pose/skeleton';
import type { CharacterState } from '#shared/api/characterState';
import { keyframeAt, type Command } from '#shared/editor/commands';
import { dragJoint } from '#shared/editor/dragJoint';
import {
  DEFAULT_AHISTORIC,
  EMPTY_EPHEMERAL,
  type AhistoricState,
  type EphemeralState,
  type PlanLaneSegment,
  type PointRef,
} from '#shared/editor/editorState';
import { selectionPivot, transformPoints } from '#shared/editor/groupTransform';
import {
  canRedo,
  canUndo,
  createHistory,
  execute,
  redo,
  undo,
  NO_TRACK_CHANGE,
  type CharacterChange,
  type History,
  type HistoryEntry,
} from '#shared/editor/history';
import { seedTrackCommand, trackIsEmpty } from '#shared/editor/seedTrack';
import {
  addKeyframe,
  copyKeyframes,
  deleteKeyframes,
  moveKeyframes,
  pasteKeyframes,
  setEasing,
  setPoseAt,
  type KeyframeRef,
} from '#shared/editor/keyframeOps';
import { copySide, mirrorPose } from '#shared/editor/mirror';
import { replaceTrackCommand } from '#shared/editor/poseFiles';

/** Evaluates the track at a frame (the pose math's `evaluateTrack`), injected so tests can swap it. */
export type PoseEvaluator = (track: PoseTrack, frame: number) => PoseFrame;

export interface EditorState {
  /** Historic: walked by undo/redo. */
  track: PoseTrack;
  history: History;
  /** Bumped on every historic change (autosave and recovery watch it). */
  revision: number;
  ahistoric: AhistoricState;
  ephemeral: EphemeralState;
  /** Render plan lane (set by the host from the scheduler's plan and job events). */
  plan: PlanLaneSegment[];
  /** Last message for the status bar ("Undo: Drag l_wrist"). */
  status: string;
  /**
   * The character's reference pose on the track's canvas (set by the host when the character
   * changes): what K keys on an empty track. Null before a picture has a pose.
   */
  characterPose: Float64Array | null;
}

/** Puts the character back through the API (undo/redo of a change made in the Character view). */
export interface CharacterPort {
  restore(state: CharacterState): Promise<void>;
}

export interface EditorActions {
  poseAt(frame: number): PoseFrame;
  points(personId: number, frame?: number): Float64Array | undefined;
  run(label: string, command: Command | null, coalesceKey?: string): void;
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;
  setFrame(frame: number): void;
  setView(patch: Partial<AhistoricState>): void;
  setEphemeral(patch: Partial<EphemeralState>): void;
  togglePlay(): void;
  /** Play frames [from, to] once (preview of a segment transition), then stop. */
  previewRange(from: number, to: number): void;
  beginGesture(
    kind: NonNullable<EphemeralState['drag']>['kind'],
    personId?: number,
    index?: number,
  ): string;
  endGesture(): void;
  dragJointTo(personId: number, index: number, x: number, y: number): void;
  transformSelection(
    t: { scale?: number; angle?: number; dx?: number; dy?: number },
    base?: Map<number, Float64Array>,
  ): void;
  selectPoints(refs: PointRef[], additive?: boolean): void;
  selectKeyframes(refs: KeyframeRef[], additive?: boolean): void;
  keyCurrentFrame(): void;
  deleteSelectedKeyframes(): void;
  moveSelectedKeyframes(delta: number, gestureId?: string): void;
  copySelectedKeyframes(): void;
  paste(): void;
  setSelectedEasing(easing: Easing, gestureId?: string): void;
  setPointsVisible(visible: boolean): void;
  mirrorPeople(mode: 'flip' | 'leftToRight' | 'rightToLeft'): void;
  /** Replace the track with an imported one, as one undoable step; the timeline grows to fit. */
  importTrack(track: PoseTrack, label: string): void;
  /** Open another track (project load, recovery): a new document with an empty history. */
  loadTrack(track: PoseTrack, status?: string): void;
  setCharacterPose(points: Float64Array | null): void;
  /**
   * Resolves when every character restore started by undo/redo has been answered. A track save
   * waits for it: the service writes project.json whole, so two writes in flight could each
   * keep the other's old half.
   */
  characterSettled(): Promise<void>;
  /**
   * Records a change the Character view made (already saved by the API) as one undo step; with
   * `seed`, an empty track also gets the character's pose as its first key in the same step.
   */
  recordCharacterChange(label: string, change: CharacterChange, seed?: Float64Array | null): void;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

let idCounter = 0;
const newId = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `kf-${Date.now()}-${++idCounter}`;

/** The list in order, each key kept once (the first time it appears). */
function withoutRepeats<T>(list: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface EditorStoreOptions {
  track: PoseTrack;
  evaluate: PoseEvaluator;
  ahistoric?: Partial<AhistoricState>;
  /** Without it, character steps are undone on the track only (tests, the standalone editor). */
  character?: CharacterPort;
}

/**
 * The editor's zustand store: plain editor-domain data plus actions that turn gestures into
 * commands. Components subscribe to slices; the stage and timeline update Konva imperatively from
 * `store.subscribe` so a drag never re-renders React.
 */
export function createEditorStore(opts: EditorStoreOptions): EditorStore {
  // Evaluated frames of the current track, dropped whenever the track object changes.
  let cacheTrack: PoseTrack | null = null;
  const cache = new Map<number, PoseFrame>();
  let gesture = 0;

  return createStore<EditorState & EditorActions>()((set, get) => {
    const peopleIds = () => get().track.people.map((p) => p.personId);
    const selectedRefsByPerson = () => {
      const m = new Map<number, number[]>();
      for (const r of get().ephemeral.selectedPoints)
        m.set(r.personId, [...(m.get(r.personId) ?? []), r.index]);
      return m;
    };
    const gestureKey = () => get().ephemeral.drag?.id;
    const batchOf = (cs: (Command | null)[]): Command | null => {
      const list = cs.filter((c): c is Command => c !== null);
      return list.length ? { type: 'batch', commands: list } : null;
    };
    // Character restores go to the API one after another, in the order the steps were walked.
    let characterQueue: Promise<void> = Promise.resolve();
    /**
     * After undo/redo moved past `entry`, puts the character as that step says. If the API
     * refuses, the step is walked back (when nothing moved since) so history and project agree.
     */
    const restoreCharacter = (entry: HistoryEntry, direction: 'undo' | 'redo') => {
      const change = entry.character;
      if (!change || !opts.character) return;
      const port = opts.character;
      const walked = get().history;
      characterQueue = characterQueue
        .then(() => port.restore(direction === 'undo' ? change.before : change.after))
        .catch((e: unknown) => {
          const s = get();
          const why = e instanceof Error ? e.message : String(e);
          if (s.history !== walked) return set({ status: `Could not ${direction}: ${why}` });
          const back = direction === 'undo' ? redo(s.track, s.history) : undo(s.track, s.history);
          set({
            ...(back ? { track: back.track, history: back.history } : {}),
            revision: s.revision + 1,
            status: `Could not ${direction} ${entry.label}: ${why}`,
          });
        });
    };

    return {
      track: opts.track,
      history: createHistory(),
      revision: 0,
      ahistoric: { ...DEFAULT_AHISTORIC, ...opts.ahistoric },
      ephemeral: { ...EMPTY_EPHEMERAL },
      plan: [],
      status: '',
      characterPose: null,

      poseAt(frame) {
        const { track } = get();
        if (cacheTrack !== track) {
          cache.clear();
          cacheTrack = track;
        }
        let f = cache.get(frame);
        if (!f) {
          f = opts.evaluate(track, frame);
          if (cache.size > 256) cache.clear();
          cache.set(frame, f);
        }
        return f;
      },

      points(personId, frame = get().ahistoric.frame) {
        const person = get().track.people.find((p) => p.personId === personId);
        if (!person) return undefined;
        // On a keyframe the stored pose is the truth (no re-evaluation round-off).
        const key = keyframeAt(person.keyframes, frame);
        if (key) return key.points;
        return get()
          .poseAt(frame)
          .people.find((p) => p.id === personId)?.points;
      },

      run(label, command, coalesceKey) {
        if (!command) return;
        const s = get();
        const r = execute(s.track, s.history, {
          label,
          command,
          ...(coalesceKey ? { coalesceKey } : {}),
        });
        set({ track: r.track, history: r.history, revision: s.revision + 1, status: label });
      },
      undo() {
        const s = get();
        const r = undo(s.track, s.history);
        if (!r) return;
        set({
          track: r.track,
          history: r.history,
          revision: s.revision + 1,
          status: `Undo: ${r.entry.label}`,
        });
        restoreCharacter(r.entry, 'undo');
      },
      redo() {
        const s = get();
        const r = redo(s.track, s.history);
        if (!r) return;
        set({
          track: r.track,
          history: r.history,
          revision: s.revision + 1,
          status: `Redo: ${r.entry.label}`,
        });
        restoreCharacter(r.entry, 'redo');
      },
      canUndo: () => canUndo(get().history),
      canRedo: () => canRedo(get().history),

      setFrame(frame) {
        // NaN (a zero-width timeline, a zero fps) would stick: every later step stays NaN.
        if (Number.isNaN(frame)) return;
        const a = get().ahistoric;
        const f = Math.min(Math.max(Math.round(frame), 0), a.frameCount - 1);
        if (f !== a.frame) set({ ahistoric: { ...a, frame: f } });
      },
      setView: (patch) => set({ ahistoric: { ...get().ahistoric, ...patch } }),
      setEphemeral: (patch) => set({ ephemeral: { ...get().ephemeral, ...patch } }),
      togglePlay: () => get().setEphemeral({ playing: !get().ephemeral.playing, playRange: null }),
      previewRange(from, to) {
        const last = get().ahistoric.frameCount - 1;
        const range = { from: Math.max(0, Math.round(from)), to: Math.min(last, Math.round(to)) };
        get().setEphemeral({ playing: false });
        get().setFrame(range.from);
        get().setEphemeral({ playing: true, playRange: range });
        set({ status: `Preview transition ${range.from}–${range.to}` });
      },

      beginGesture(kind, personId, index) {
        const id = `g${++gesture}`;
        get().setEphemeral({
          drag: {
            id,
            kind,
            ...(personId !== undefined ? { personId } : {}),
            ...(index !== undefined ? { index } : {}),
          },
        });
        return id;
      },
      endGesture: () => get().setEphemeral({ drag: null }),

      dragJointTo(personId, index, x, y) {
        const s = get();
        const base = s.points(personId);
        if (!base) return;
        const next = dragJoint(base, index, x, y, s.ahistoric.dragMode);
        const name = POINT_NAMES[index] ?? `point ${index}`;
        s.run(
          `Move ${name}`,
          setPoseAt(s.track, personId, s.ahistoric.frame, next, newId),
          gestureKey(),
        );
      },

      transformSelection(t, base) {
        const s = get();
        const cs: Command[] = [];
        for (const [personId, indices] of selectedRefsByPerson()) {
          const from = base?.get(personId) ?? s.points(personId);
          if (!from) continue;
          const pivot = selectionPivot(from, indices);
          if (!pivot) continue;
          cs.push(
            setPoseAt(
              s.track,
              personId,
              s.ahistoric.frame,
              transformPoints(from, indices, { pivot, ...t }),
              newId,
            ),
          );
        }
        s.run('Transform selection', batchOf(cs), gestureKey());
      },

      selectPoints(refs, additive = false) {
        const cur = additive ? get().ephemeral.selectedPoints : [];
        get().setEphemeral({
          selectedPoints: withoutRepeats([...cur, ...refs], (r) => `${r.personId}/${r.index}`),
        });
      },
      selectKeyframes(refs, additive = false) {
        const cur = additive ? get().ephemeral.selectedKeyframes : [];
        get().setEphemeral({
          selectedKeyframes: withoutRepeats(
            [...cur, ...refs],
            (r) => `${r.personId}/${r.keyframeId}`,
          ),
        });
      },

      keyCurrentFrame() {
        const s = get();
        const frame = s.ahistoric.frame;
        // An empty track has no pose to key: the character's own pose starts it.
        if (trackIsEmpty(s.track)) {
          if (!s.characterPose)
            return set({
              status:
                'Nothing to key yet: detect the character’s pose (Character view) or import a motion first',
            });
          return s.run(
            `Key the character’s pose at ${frame}`,
            seedTrackCommand(s.track, s.characterPose, frame, newId),
          );
        }
        const cs = peopleIds().map((id) => {
          const pts = s.points(id);
          return pts ? addKeyframe(s.track, id, frame, pts, newId) : null;
        });
        s.run(`Add keyframe at ${frame}`, batchOf(cs));
      },
      deleteSelectedKeyframes() {
        const s = get();
        s.run('Delete keyframes', deleteKeyframes(s.track, s.ephemeral.selectedKeyframes));
        s.setEphemeral({ selectedKeyframes: [] });
      },
      moveSelectedKeyframes(delta, gestureId) {
        const s = get();
        s.run(
          'Move keyframes',
          moveKeyframes(s.track, s.ephemeral.selectedKeyframes, delta),
          gestureId,
        );
      },
      copySelectedKeyframes() {
        const s = get();
        if (!s.ephemeral.selectedKeyframes.length) return;
        s.setEphemeral({ clipboard: copyKeyframes(s.track, s.ephemeral.selectedKeyframes) });
        set({ status: `Copied ${s.ephemeral.selectedKeyframes.length} keyframe(s)` });
      },
      paste() {
        const s = get();
        if (!s.ephemeral.clipboard) return;
        s.run(
          `Paste at ${s.ahistoric.frame}`,
          pasteKeyframes(s.track, s.ephemeral.clipboard, s.ahistoric.frame, newId),
        );
      },
      setSelectedEasing(easing, gestureId) {
        const s = get();
        s.run('Set easing', setEasing(s.track, s.ephemeral.selectedKeyframes, easing), gestureId);
      },

      setPointsVisible(visible) {
        const s = get();
        const cs: Command[] = [];
        for (const [personId, indices] of selectedRefsByPerson()) {
          const from = s.points(personId);
          if (!from) continue;
          const next = new Float64Array(from);
          for (const i of indices) next[i * 3 + 2] = visible ? 1 : 0;
          cs.push(setPoseAt(s.track, personId, s.ahistoric.frame, next, newId));
        }
        s.run(visible ? 'Show points' : 'Hide points', batchOf(cs));
      },

      mirrorPeople(mode) {
        const s = get();
        const selected = new Set(s.ephemeral.selectedPoints.map((r) => r.personId));
        const ids = selected.size ? [...selected] : peopleIds();
        const cs = ids.map((id) => {
          const p = s.points(id);
          if (!p) return null;
          const next =
            mode === 'flip'
              ? mirrorPose(p)
              : copySide(p, mode === 'leftToRight' ? 'left' : 'right');
          return setPoseAt(s.track, id, s.ahistoric.frame, next, newId);
        });
        s.run(mode === 'flip' ? 'Mirror' : 'Copy side', batchOf(cs));
      },

      importTrack(track, label) {
        const s = get();
        s.run(label, replaceTrackCommand(s.track, track));
        const last = Math.max(0, ...track.people.flatMap((p) => p.keyframes.map((k) => k.frame)));
        if (last >= s.ahistoric.frameCount) s.setView({ frameCount: last + 1 });
        s.setEphemeral({ selectedPoints: [], selectedKeyframes: [], pendingImport: null });
      },
      setCharacterPose: (points) => set({ characterPose: points }),
      characterSettled: () => characterQueue,
      recordCharacterChange(label, change, seed = null) {
        const s = get();
        const command = (seed && seedTrackCommand(s.track, seed, 0, newId)) || NO_TRACK_CHANGE;
        const r = execute(s.track, s.history, { label, command, character: change });
        set({
          track: r.track,
          history: r.history,
          // Only a step that changed the track is a track edit (autosave watches the revision).
          revision: command === NO_TRACK_CHANGE ? s.revision : s.revision + 1,
          status: label,
        });
      },
      loadTrack(track, status = 'Opened') {
        set({
          track,
          history: createHistory(),
          revision: get().revision + 1,
          status,
          ephemeral: { ...EMPTY_EPHEMERAL },
        });
      },
    };
  });
}
