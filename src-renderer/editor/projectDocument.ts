import { useEffect, useState } from 'react';
import { fromPoseTrack, toPoseTrack, type TrackInfo } from '#shared/project/convert';
import type { TrackJson } from '#shared/project/schema';
import type { PoseTrack } from '#shared/pose/types';
import type { ProjectSummary } from '#shared/api/index';
import { createTrackPose } from '#shared/editor/trackPose';
import { characterPoseOnCanvas } from '#shared/editor/seedTrack';
import { api } from '../api/client';
import { attempt, useStudio } from '../state/store';
import { createEditorStore, type EditorStore } from './editorStore';

/**
 * The open project's pose track and its ONE undo history, shared by every view: the Editor edits
 * it, the Character view records its changes into it and undoes with the same Ctrl+Z. It lives
 * as long as the project is open (switching views keeps it), not as long as the Editor is shown.
 */
export interface ProjectDocument {
  /** The project folder it belongs to. */
  path: string;
  store: EditorStore;
  info: TrackInfo;
  /** Writes the track into the project (`track.save`) and refreshes the project summary. */
  save(track: PoseTrack): Promise<void>;
  /** Stops following the studio's character (another project was opened). */
  dispose(): void;
}

let current: { path: string; loading: Promise<ProjectDocument | undefined> } | null = null;
const listeners = new Set<() => void>();
let loaded: ProjectDocument | null = null;

/** A project without a pose track starts with an empty one on the output canvas. */
function newTrack(project: ProjectSummary): TrackJson {
  const { width, height, fps } = project;
  return { id: 'track-1', name: 'Pose track', width, height, fps, people: [] };
}

async function load(project: ProjectSummary): Promise<ProjectDocument | undefined> {
  const json = await attempt(() => api.call('track.get', {}));
  if (json === undefined) return undefined;
  const track = json ?? newTrack(project);
  const store = createEditorStore({
    track: toPoseTrack(track),
    evaluate: createTrackPose(),
    ahistoric: { frameCount: Math.max(project.frameCount, 1), fps: track.fps },
    character: {
      async restore(state) {
        const c = await api.call('character.restore', state);
        useStudio.setState((s) => ({ character: c, characterVersion: s.characterVersion + 1 }));
      },
    },
  });
  const info: TrackInfo = { id: track.id, name: track.name, fps: track.fps };
  // K on an empty track keys the character's pose: keep it on the track's canvas as the
  // character or the canvas changes.
  const follow = () => {
    const { track: t, characterPose } = store.getState();
    const next = characterPoseOnCanvas(useStudio.getState().character, t);
    const same = next && characterPose && next.every((v, i) => v === characterPose[i]);
    if (!same && (next || characterPose)) store.getState().setCharacterPose(next);
  };
  const offStudio = useStudio.subscribe((s, prev) => s.character !== prev.character && follow());
  const offStore = store.subscribe((s, prev) => {
    if (s.track.width !== prev.track.width || s.track.height !== prev.track.height) follow();
  });
  follow();
  return {
    path: project.path,
    store,
    info,
    dispose() {
      offStudio();
      offStore();
    },
    async save(t) {
      await store.getState().characterSettled();
      const summary = await api.call('track.save', { track: fromPoseTrack(t, info) });
      // Only the project it was saved into: another one may have been opened meanwhile.
      if (useStudio.getState().project?.path === summary.path)
        useStudio.setState({ project: summary });
    },
  };
}

/** The document of `project`, loading it once per opened project (every caller shares it). */
export function openProjectDocument(project: ProjectSummary): Promise<ProjectDocument | undefined> {
  if (current?.path === project.path) return current.loading;
  loaded?.dispose();
  loaded = null;
  const loading = load(project).then((doc) => {
    if (current?.loading !== loading) doc?.dispose();
    else {
      loaded = doc ?? null;
      // A failed load is tried again by the next caller.
      if (!doc) current = null;
      for (const l of listeners) l();
    }
    return doc;
  });
  current = { path: project.path, loading };
  return loading;
}

/** The loaded document of `project`, or null while it loads (or when there is no project). */
export function currentProjectDocument(project: ProjectSummary | null): ProjectDocument | null {
  return project && loaded?.path === project.path ? loaded : null;
}

/** The open project's document for a view: loads it on first use, re-renders when it is there. */
export function useProjectDocument(): ProjectDocument | null {
  const project = useStudio((s) => s.project);
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    if (project) void openProjectDocument(project);
    return () => void listeners.delete(l);
  }, [project?.path]);
  return currentProjectDocument(project);
}
