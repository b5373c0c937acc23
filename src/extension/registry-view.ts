/**
 * The "Model Registry" tree view: the champion, every version (with its gate metric and
 * evaluation-data hash), and the history newest first with each decision's reasons. The
 * registry folder is the setting `nb2prod.registryPath` (relative to the first workspace
 * folder; default `registry`); the view refreshes when history.jsonl changes.
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { RegistryEvent, VersionInfo } from '../core/monitor/registry';

/** The view and command ids, as package.json declares them. */
export const REGISTRY_VIEW = 'nb2prod.registry';
export const REFRESH_REGISTRY_COMMAND = 'nb2prod.refreshRegistry';

type Node =
  | { kind: 'group'; label: string; children: Node[]; icon: string; expanded: boolean }
  | { kind: 'leaf'; label: string; description?: string; tooltip?: string; icon: string; children?: Node[]; resource?: vscode.Uri };

class RegistryTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  /** A registry folder given by a test (the refresh command's `{ registry }` argument); else the setting. */
  override: string | undefined;

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const children = node.kind === 'group' ? node.children : node.children;
    const state =
      children && children.length > 0
        ? node.kind === 'group' && node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.iconPath = new vscode.ThemeIcon(node.icon);
    if (node.kind === 'leaf') {
      item.description = node.description;
      item.tooltip = node.tooltip;
      if (node.resource) item.command = { command: 'vscode.open', title: 'Open manifest', arguments: [node.resource] };
    }
    return item;
  }

  getChildren(node?: Node): Node[] {
    if (node !== undefined) return (node.kind === 'group' ? node.children : node.children) ?? [];
    const dir = this.override ?? registryDir();
    if (dir === undefined) return [];
    const registry = require('../core/monitor/registry') as typeof import('../core/monitor/registry');
    let history: RegistryEvent[];
    try {
      history = registry.readHistory(dir);
    } catch (error) {
      // A damaged history is shown, never guessed around: promotion refuses it too.
      return [{ kind: 'leaf', label: 'Registry history is damaged', description: (error as Error).message, tooltip: (error as Error).message, icon: 'error' }];
    }
    const versions = registry.listVersions(dir);
    if (versions.length === 0 && history.length === 0)
      return [{ kind: 'leaf', label: `No registry at ${dir}`, description: 'set nb2prod.registryPath', icon: 'info' }];
    const champion = registry.currentChampion(history);
    return [
      {
        kind: 'leaf',
        label: `Champion: ${champion ?? 'none'}`,
        icon: 'star-full',
        ...(champion ? { resource: vscode.Uri.file(join(dir, 'versions', champion, 'manifest.json')) } : {}),
      },
      {
        kind: 'group',
        label: `Versions (${versions.length})`,
        icon: 'versions',
        expanded: true,
        children: versions.reverse().map((v) => versionNode(dir, v, champion)),
      },
      { kind: 'group', label: `History (${history.length})`, icon: 'history', expanded: false, children: [...history].reverse().map(eventNode) },
    ];
  }
}

function versionNode(dir: string, v: VersionInfo, champion: string | null): Node {
  if (v.manifest === null) return { kind: 'leaf', label: v.version, description: 'unreadable manifest', tooltip: v.error ?? '', icon: 'warning' };
  const m = v.manifest;
  const metric = m.promotion.gate.metric;
  const value = m.metrics[metric];
  return {
    kind: 'leaf',
    label: v.version,
    description: `${v.version === champion ? 'champion · ' : ''}${metric} ${value === undefined ? 'n/a' : Number(value.toPrecision(4))} · ${m.run.created_utc}`,
    tooltip: `run ${m.run.run_id}\nmodel ${m.model.name} (${m.model.task})\nevaluation data ${m.evaluation?.data_sha256.slice(0, 12) ?? 'unknown'}\nmetrics ${JSON.stringify(m.metrics)}`,
    icon: v.version === champion ? 'star-full' : 'package',
    resource: vscode.Uri.file(join(dir, 'versions', v.version, 'manifest.json')),
  };
}

function eventNode(e: RegistryEvent): Node {
  const icon = { promote: 'arrow-up', override: 'person', reject: 'circle-slash', rollback: 'discard' }[e.action];
  return {
    kind: 'leaf',
    label: `#${e.seq} ${e.action} ${e.version}`,
    description: `${e.time} · ${e.actor}`,
    tooltip: [`${e.alias}: ${e.previous ?? 'none'} -> ${e.action === 'reject' ? (e.previous ?? 'none') : e.version}`, ...e.reasons].join('\n'),
    icon,
    children: e.reasons.map((r) => ({ kind: 'leaf', label: r, icon: 'dash' })),
  };
}

/** A plain copy of what the provider shows (labels, descriptions, children). */
export interface RegistryNodeShown {
  label: string;
  description?: string;
  children: RegistryNodeShown[];
}

function shown(tree: RegistryTree, nodes: Node[]): RegistryNodeShown[] {
  return nodes.map((n) => ({
    label: n.label,
    ...(n.kind === 'leaf' && n.description !== undefined ? { description: n.description } : {}),
    children: shown(tree, tree.getChildren(n)),
  }));
}

function registryDir(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) return undefined;
  const setting = vscode.workspace.getConfiguration('nb2prod').get<string>('registryPath', 'registry');
  return join(folder.uri.fsPath, setting);
}

/** Registers the tree view, its refresh command and a watcher on the history. */
export function registerRegistryView(): vscode.Disposable[] {
  const tree = new RegistryTree();
  const watcher = vscode.workspace.createFileSystemWatcher('**/history.jsonl');
  return [
    vscode.window.registerTreeDataProvider(REGISTRY_VIEW, tree),
    // Test hook: `{ registry: DIR }` points the view at DIR; the command resolves to what the provider shows.
    vscode.commands.registerCommand(REFRESH_REGISTRY_COMMAND, (arg?: { registry?: string }) => {
      if (arg !== undefined && typeof arg === 'object' && 'registry' in arg) tree.override = arg.registry;
      tree.refresh();
      return shown(tree, tree.getChildren());
    }),
    watcher,
    watcher.onDidChange(() => tree.refresh()),
    watcher.onDidCreate(() => tree.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('nb2prod.registryPath') && tree.refresh()),
  ];
}
