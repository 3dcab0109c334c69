import { benchCharts } from './bench-html.js';
import type { CapacityBench, CapacityOptions } from './capacity-evidence.js';
import { capacityReportParts } from './capacity-markdown.js';
import { renderHtmlPage, type PagePart } from './html.js';
import type { SizeResult } from '../schema/size.js';

/** The capacity plan as a self-contained page: the Markdown document with each bench's charts under its evidence. */
export function renderCapacityHtml(
  size: SizeResult,
  benches: CapacityBench[],
  chartJs: string,
  options: CapacityOptions = {},
): string {
  const { head, evidence, tail } = capacityReportParts(size, benches, options);
  const parts: PagePart[] = [
    { markdown: head },
    ...evidence.flatMap((markdown, i): PagePart[] => [{ markdown }, { charts: benchCharts(benches[i]!.result) }]),
    { markdown: tail },
  ];
  return renderHtmlPage('redis-pool capacity plan', parts, chartJs);
}
