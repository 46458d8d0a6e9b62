import type { Answer, Result } from '../results/schema.ts';
import { checkBuilt } from './not-built.ts';
import { resultById } from './results.ts';

const QUESTIONS = ['separation', 'signatures', 'unseen'] as const;

/**
 * The answer a write-up names as `<experiment>/<question>`; a missing one
 * fails the build with the page and the id, like a missing figure.
 */
export function resolveAnswer(ref: string, page: string): { result: Result; answer: Answer } {
  const [experiment, question, ...rest] = ref.split('/');
  const fail = (why: string, hint: string): never => {
    throw new Error(`[AnswerNotFound] ${page}: answer "${ref}" ${why}.\n  Hint: ${hint}`);
  };
  if (!experiment || !question || rest.length)
    fail('is not of the form <experiment>/<question>', `write e.g. mnist-1-vs-7/separation (questions: ${QUESTIONS.join(', ')})`);
  checkBuilt(experiment);
  const result =
    resultById(experiment) ?? fail(`names experiment "${experiment}", which has no result`, 'check experiments/ for the file, then run `npm run experiments`');
  const answer =
    result.answers.find((a) => a.question === question) ??
    fail(
      `names question "${question}", which experiment "${experiment}" does not answer`,
      `its answers are: ${result.answers.map((a) => a.question).join(', ')}`,
    );
  return { result, answer };
}
