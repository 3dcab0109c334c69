/**
 * The browser side of the HTML report: reads the chart specs (see ChartSpec in html.ts) from the page and
 * draws them with Chart.js. Plain ES2020 in a string, since it runs in the page, not in Node.
 * When done it sets `window.redisPoolCharts = { expected, rendered }`, which the browser test checks.
 */
export const HTML_PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('chart-data').textContent);
  var palette = ['#d1495b', '#2e86ab', '#3a9d23', '#edae49', '#8e44ad', '#00798c', '#6c757d', '#f17105', '#1b998b', '#c2185b'];
  var rendered = 0;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;

  // A run keeps its colour in every chart of the page.
  var colours = {};
  function colour(label) {
    if (!(label in colours)) colours[label] = palette[Object.keys(colours).length % palette.length];
    return colours[label];
  }
  function title(text) { return { display: true, text: text, font: { size: 14, weight: 'bold' } }; }
  // Zero waits are drawn at the axis floor of 1 µs (a log axis has no zero).
  function msLabel(v) { return v <= 0.001 ? '≤ 0.001 ms' : v >= 100 ? Math.round(v) + ' ms' : Number(v.toPrecision(2)) + ' ms'; }
  // Log axes: label 1, 2 and 5 of each decade only, or the labels run into each other.
  function logTick(format) {
    return function (value) {
      var v = Number(value);
      var mantissa = Math.round(v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9)));
      return mantissa === 1 || mantissa === 2 || mantissa === 5 ? format(v) : '';
    };
  }

  // 1/(1-p) ticks: 1 is the minimum, 2 the median, every decade one more nine.
  function tailTicks(max) {
    var ticks = [{ value: 1, label: 'min' }, { value: 2, label: 'p50' }];
    var nines = ['p90', 'p99', 'p99.9', 'p99.99', 'p99.999', 'p99.9999'];
    for (var i = 0; i < nines.length && Math.pow(10, i + 1) <= max; i++) ticks.push({ value: Math.pow(10, i + 1), label: nines[i] });
    return ticks;
  }

  function percentileChart(spec) {
    var max = 1;
    spec.curves.forEach(function (c) { c.points.forEach(function (p) { max = Math.max(max, p.tailFactor); }); });
    var ticks = tailTicks(max);
    return {
      type: 'scatter',
      data: {
        datasets: spec.curves.map(function (c) {
          return {
            label: c.label,
            showLine: true,
            borderColor: colour(c.label),
            backgroundColor: colour(c.label),
            borderWidth: 2,
            pointRadius: 0,
            data: c.points.map(function (p) { return { x: p.tailFactor, y: Math.max(p.ms, 0.001), p: p.percentile }; }),
          };
        }),
      },
      options: {
        plugins: {
          title: title(spec.title),
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ': p' + Number(ctx.raw.p.toPrecision(6)) + ' = ' + msLabel(ctx.raw.y); },
            },
          },
        },
        scales: {
          x: {
            type: 'logarithmic', min: 1, max: max,
            title: { display: true, text: 'percentile (log 1/(1−p) axis)' },
            afterBuildTicks: function (scale) { scale.ticks = ticks.map(function (t) { return { value: t.value }; }); },
            ticks: { callback: function (value) { var t = ticks.find(function (t) { return t.value === value; }); return t ? t.label : ''; } },
          },
          y: { type: 'logarithmic', title: { display: true, text: 'latency (ms, log)' }, ticks: { callback: logTick(msLabel) } },
        },
      },
    };
  }

  // One series: a bar per run, in the run's colour; several: a colour per series.
  function barChart(spec) {
    var seriesColours = ['#2e86ab', '#3a9d23', '#edae49', '#8e44ad'];
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          var fill = spec.series.length > 1 ? seriesColours[i % seriesColours.length] : spec.labels.map(colour);
          return { label: s.name, data: s.values, backgroundColor: fill };
        }),
      },
      options: {
        plugins: { title: title(spec.title), legend: { display: spec.series.length > 1 } },
        scales: {
          y: spec.logScale
            ? {
                type: 'logarithmic', title: { display: true, text: spec.unit },
                ticks: { callback: logTick(function (v) { return v.toLocaleString('en-US'); }) },
              }
            : { title: { display: true, text: spec.unit } },
        },
      },
    };
  }

  // Measured beside predicted P(wait) per pool size; a row whose difference is beyond the tolerance is drawn as a
  // cross, and the tooltip of a pool size gives both figures and their difference.
  function sweepChart(spec) {
    var s = spec.sweep;
    var tolerancePoints = Number((100 * spec.tolerance).toFixed(1));
    var difference = function (row) { return row.difference != null ? row.difference : row.waitProbability - row.predictedWaitProbability; };
    var agrees = function (row) { return row.agrees != null ? row.agrees : Math.abs(difference(row)) <= spec.tolerance; };
    var points = function (field) { return s.rows.map(function (row) { return { x: row.poolSize, y: 100 * row[field], row: row }; }); };
    var signedPoints = function (d) { var p = (Math.abs(d) * 100).toFixed(1); return (p === '0.0' ? '' : d > 0 ? '+' : '-') + p + ' pts'; };
    var percent = function (v) { return Number((100 * v).toPrecision(3)) + ' %'; };
    var disagreeing = s.rows.filter(function (row) { return !agrees(row); }).length;
    return {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'measured P(wait)', showLine: true, data: points('waitProbability'), borderColor: '#2e86ab', backgroundColor: '#2e86ab', borderWidth: 2,
            pointStyle: s.rows.map(function (row) { return agrees(row) ? 'circle' : 'crossRot'; }),
            pointRadius: s.rows.map(function (row) { return agrees(row) ? 3 : 8; }),
            pointBorderColor: s.rows.map(function (row) { return agrees(row) ? '#2e86ab' : '#b00020'; }),
            pointBorderWidth: s.rows.map(function (row) { return agrees(row) ? 1 : 3; }),
          },
          {
            label: s.model + ' model P(wait)', showLine: true, data: points('predictedWaitProbability'),
            borderColor: '#d1495b', backgroundColor: '#d1495b', borderDash: [6, 4], borderWidth: 2,
          },
        ],
      },
      options: {
        interaction: { mode: 'x', intersect: false },
        plugins: {
          title: title(spec.title),
          subtitle: {
            display: true,
            text: 'formula pool (no buffer): ' + s.formulaPoolSize + ' · model pool for ≤ 1 % waits: ' + s.modelPoolSize +
              ' · ✕: measured − model beyond ±' + tolerancePoints + ' pts (' + disagreeing + ' of ' + s.rows.length + ' sizes)',
          },
          tooltip: {
            callbacks: {
              title: function (items) { return 'pool of ' + items[0].raw.x; },
              label: function (ctx) { return ctx.dataset.label + ': ' + percent(ctx.raw.y / 100); },
              afterBody: function (items) {
                var row = items[0].raw.row;
                return 'difference (measured − model): ' + signedPoints(difference(row)) +
                  (agrees(row) ? ', within ±' : ', ✕ beyond ±') + tolerancePoints + ' pts';
              },
            },
          },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'pool size (connections)' }, ticks: { stepSize: 1, precision: 0 } },
          y: { min: 0, max: 100, title: { display: true, text: 'requests that waited (%)' } },
        },
      },
    };
  }

  // Latency (p50 and p99) against the throughput each step achieved, one curve per strategy; each objective as a
  // horizontal line; the knee as a large point. Both axes log: the steps span decades.
  function curveChart(spec) {
    var datasets = [];
    spec.curves.forEach(function (c) {
      var points = function (field) {
        return c.rows.map(function (row) { return { x: Math.max(row.achievedRatePerSec, 0.1), y: Math.max(row[field], 0.001), row: row }; });
      };
      var knee = function (row) { return row.offeredRatePerSec === c.kneeRatePerSec; };
      datasets.push({
        label: c.label + ' p99', showLine: true, data: points('p99Ms'), borderColor: colour(c.label), backgroundColor: colour(c.label),
        borderWidth: 2, pointRadius: c.rows.map(function (row) { return knee(row) ? 9 : 3; }),
        pointStyle: c.rows.map(function (row) { return knee(row) ? 'star' : 'circle'; }),
      });
      datasets.push({
        label: c.label + ' p50', showLine: true, data: points('p50Ms'), borderColor: colour(c.label), backgroundColor: colour(c.label),
        borderDash: [4, 4], borderWidth: 1, pointRadius: 2,
      });
    });
    var xs = [];
    spec.curves.forEach(function (c) { c.rows.forEach(function (row) { xs.push(Math.max(row.achievedRatePerSec, 0.1)); }); });
    var xMin = Math.min.apply(null, xs), xMax = Math.max.apply(null, xs);
    spec.objectives.forEach(function (o) {
      datasets.push({
        label: 'objective ' + o.text, showLine: true, borderColor: '#b00020', backgroundColor: '#b00020', borderDash: [8, 4],
        borderWidth: 1.5, pointRadius: 0, data: [{ x: xMin, y: o.limitMs }, { x: xMax, y: o.limitMs }],
      });
    });
    var knees = spec.curves.map(function (c) {
      return c.label + ': ' + (c.kneeRatePerSec === null ? 'no knee' : 'knee at ' + c.kneeRatePerSec.toLocaleString('en-US') + ' req/s');
    });
    return {
      type: 'scatter',
      data: { datasets: datasets },
      options: {
        plugins: {
          title: title(spec.title),
          subtitle: { display: true, text: '★ the knee · ' + knees.join(' · ') },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var row = ctx.raw.row;
                if (!row) return ctx.dataset.label;
                return ctx.dataset.label + ': ' + msLabel(ctx.raw.y) + ' at ' + Math.round(row.achievedRatePerSec).toLocaleString('en-US') +
                  ' req/s served of ' + row.offeredRatePerSec.toLocaleString('en-US') + ' offered' +
                  (row.misses.length > 0 ? ' (missed: ' + row.misses.join(', ') + ')' : '');
              },
            },
          },
        },
        scales: {
          x: {
            type: 'logarithmic', title: { display: true, text: 'throughput served (requests/s, log)' },
            ticks: { callback: logTick(function (v) { return v.toLocaleString('en-US'); }) },
          },
          y: { type: 'logarithmic', title: { display: true, text: 'latency (ms, log)' }, ticks: { callback: logTick(msLabel) } },
        },
      },
    };
  }

  var builders = { percentiles: percentileChart, bars: barChart, sweep: sweepChart, curve: curveChart };
  specs.forEach(function (spec, i) {
    var canvas = document.getElementById('chart-' + i);
    new Chart(canvas, builders[spec.kind](spec));
    rendered++;
  });
  window.redisPoolCharts = { expected: specs.length, rendered: rendered };
})();
`;
