/** Project configuration (`nb2prod.toml`, `[tool.nb2prod]` in `pyproject.toml`), shared by the CLI and the extension. */
export { ConfigError, ConfigLoader, CONFIG_FILES, readConfigFile, type ProjectConfig } from './load';
export { isExcluded, optionsFor } from './options';
