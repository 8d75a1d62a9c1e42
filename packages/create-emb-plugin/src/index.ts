export { type CreatedPlugin, type CreatePluginOptions, createPlugin, pluginFiles, scaffoldVersions } from './create-plugin.js';
export { main } from './main.js';
export { type PluginNames, pluginNames } from './plugin-names.js';
export { EmbPluginScaffoldError } from './scaffold-error.js';
