// The Observable Plot marks the explorer draws, in a module of their own:
// detail.ts loads it with the first input opened (a dynamic import of the
// whole Plot namespace would keep all of Plot; this keeps what is used).
export { barX, dot, line, plot, ruleY } from '@observablehq/plot';
