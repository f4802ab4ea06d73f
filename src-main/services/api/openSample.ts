import { homedir } from 'node:os';
import { copySample, suggestSampleFolder } from '#main/project/sampleCopy';
import type { ProjectSummary } from '#shared/api/index';
import { projectApiError } from './projectAdapter';
import type { ProjectSession, ProjectsPort } from './ports';

export interface OpenSampleDeps {
  projects: () => ProjectsPort;
  /** Makes the opened copy the service's project (and remembers it among the recent ones). */
  opened: (session: ProjectSession) => ProjectSummary;
  /** The user's home (tests give a temp folder). */
  home?: string;
}

/** The handlers of `projects.sampleFolder` and `projects.openSample`. */
export function openSampleHandlers(deps: OpenSampleDeps) {
  const home = deps.home ?? homedir();
  return {
    'projects.sampleFolder': async () => ({ folder: await suggestSampleFolder(home) }),
    'projects.openSample': async (p: { folder?: string | undefined }) => {
      try {
        const folder = await copySample(p.folder ?? (await suggestSampleFolder(home)));
        return deps.opened(await deps.projects().open(folder));
      } catch (e) {
        throw projectApiError(e);
      }
    },
  };
}
