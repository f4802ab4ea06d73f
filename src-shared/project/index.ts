/** The project format: schema, validation, migrations, paths and conversions to pose types. */
export * from './schema';
export * from './limits';
export * from './errors';
export * from './parse';
export * from './migrations';
export * from './paths';
export * from './convert';
export * from './defaults';
export * from './serialize';
export { checkProjectRules, type RuleIssue } from './rules';
export * from './summary';
export * from './selection';
