// Types of changelog-policy.mjs for the tests that import it.
export function specifierOf(file: string): string;
export function lostLines(before: string, after: string): string[];
export function unreleasedSection(changelog: string): { body: string; categories: Map<string, string> } | undefined;
export function isBreakingBump(released: string, next: string): boolean;
export function checkPolicy(input: { baseline: Map<string, string>; current: Map<string, string>; changelog: string; version: string; release?: string | undefined }): string[];
export function findBaseline(root: string): { ref: string; release: string | undefined } | undefined;
export function reportsAt(root: string, ref: string): Map<string, string>;
export function currentReports(root: string): Map<string, string>;
