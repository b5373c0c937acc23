// Placeholder entry so the build has its two bundles; replaced by the real extension.
export function activate(): void {}
