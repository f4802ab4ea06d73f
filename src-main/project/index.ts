/** The project store: folders, `project.json` load/save, assets. */
export * from '#main/fs/atomicWrite';
export * from './projectPaths';
export * from './projectStore';
export * from './projectLocation';
export * from './importAsset';
export * from './referencePose';
