import { publishFunctionScenario } from './scenarios/publish-function.ts';
import { renderMarkdown } from './markdown.ts';
const t = await publishFunctionScenario.run({ quick: process.argv.includes('--quick') });
console.log(renderMarkdown(t));
console.log(JSON.stringify(t.data, null, 1));
