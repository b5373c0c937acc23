/**
 * The project configuration (`nb2prod.toml`, `[tool.nb2prod]` in `pyproject.toml`) in the editor:
 * the same loader as the CLI, read afresh at every analysis (a few stats up the folder tree and
 * one small file, next to an analysis that costs far more), so an edit to the file always shows
 * at the next analysis; a watcher on those files re-analyses the open documents at once. VS Code
 * settings are the user's overrides on top of it, with the CLI flags' precedence
 * (src/core/config/options.ts).
 */
import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../core/engine';

type ConfigModule = typeof import('../core/config');

/** The options one document is analysed with, or that the project excludes it. */
export type ProjectOptions = { excluded: true } | { excluded: false; options: AnalyzeOptions };

export class ProjectConfigs implements vscode.Disposable {
  private module: ConfigModule | undefined;
  /** Errors already shown, so that each broken file is announced once, not at every keystroke. */
  private readonly announced = new Set<string>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/{nb2prod.toml,pyproject.toml}');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a configuration file was created, changed or deleted. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const reload = (): void => {
      this.announced.clear();
      this.changed.fire();
    };
    this.watcher.onDidCreate(reload);
    this.watcher.onDidChange(reload);
    this.watcher.onDidDelete(reload);
  }

  /**
   * The options for a document at `uri`, `settings` (the user's) applied over its project file.
   * A broken project file is shown once and left out: the settings alone apply until it is fixed.
   */
  optionsFor(uri: vscode.Uri, settings: AnalyzeOptions): ProjectOptions {
    if (uri.scheme !== 'file') return { excluded: false, options: settings };
    // Loaded with the engine's first analysis, not at activation (it brings the rule registry).
    this.module ??= require('../core/config') as ConfigModule;
    const path = uri.fsPath;
    try {
      const config = new this.module.ConfigLoader().configFor(path);
      if (this.module.isExcluded(config, path)) return { excluded: true };
      return { excluded: false, options: this.module.optionsFor(config, path, settings) };
    } catch (error) {
      if (!(error instanceof this.module.ConfigError)) throw error;
      if (!this.announced.has(error.message)) {
        this.announced.add(error.message);
        this.log.error(`project configuration: ${error.message}`);
        void vscode.window.showWarningMessage(`nb2prod: ${error.message} (the project configuration is ignored until it is fixed)`);
      }
      return { excluded: false, options: settings };
    }
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
