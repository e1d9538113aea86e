/*
 * The dashboard's script. Everything it shows comes from the report API, read with the API key
 * the user signs in with; the key is kept in sessionStorage (this tab only) and sent as
 * `Authorization: Bearer <key>`. Charts are drawn with Chart.js (window.Chart, served by this
 * API from the installed package). Each chart's numbers are also written into a table under it.
 *
 * For tests and scripts, <body> carries data-state (signed-out | loading | ready | error),
 * data-load-seq (the latest load started) and data-loaded-seq (the latest load finished).
 */
(function () {
  'use strict';

  const KEY_STORAGE = 'campaign-engine.dashboard.api-key';
  const COLORS = ['#2f6fde', '#e8743b', '#19a979', '#945ecf', '#ed4a7b', '#13a4b4', '#bf399e', '#6c8893', '#f2b70a', '#525df4'];
  const DAY_MS = 86_400_000;
  const DEFAULT_DAYS = 30;
  const PANELS = ['totals', 'funnel', 'roi', 'models', 'timeline'];

  const $ = (id) => document.getElementById(id);
  const body = document.body;
  let loadSeq = 0;

  /** An answer other than 2xx (status 0: the API could not be reached), with its problem+json body. */
  class ApiError extends Error {
    constructor(status, problem, path) {
      super(problem && problem.detail ? problem.detail : `${path} answered ${status}.`);
      this.status = status;
      this.problem = problem || {};
      this.path = path;
    }

    get refusesKey() {
      return this.status === 401 || this.status === 403;
    }
  }

  // ---------------------------------------------------------------- API

  function apiKey() {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  /** GET a JSON document from the API with the signed-in key. */
  async function getJson(path, params) {
    const query = params ? `?${new URLSearchParams(params)}` : '';
    let response;
    try {
      response = await fetch(path + query, {
        headers: { Authorization: `Bearer ${apiKey()}`, Accept: 'application/json' },
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, { title: 'Network error', detail: 'The API could not be reached.' }, path);
    }
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) throw new ApiError(response.status, parsed, path);
    return parsed;
  }

  const roiReport = (filters, params) => getJson('/v1/reports/roi', { from: filters.from, to: filters.to, ...params });
  const allModels = () => Array.from($('filter-model').options, (option) => option.value);
  const modelLabel = (model) => {
    const option = Array.from($('filter-model').options).find((o) => o.value === model);
    return option ? option.textContent : model;
  };
  /** With a campaign chosen, reports are grouped by campaign too and only its rows are kept. */
  const ofCampaign = (rows, filters) => (filters.campaignId ? rows.filter((row) => row.campaignId === filters.campaignId) : rows);
  const channelGrouping = (filters) => (filters.campaignId ? 'campaign,channel' : 'channel');

  function loadFunnel(filters) {
    const params = { from: filters.from, to: filters.to };
    if (filters.campaignId) params.campaignId = filters.campaignId;
    return getJson('/v1/reports/funnel', params);
  }

  async function loadRoiByChannel(filters) {
    const report = await roiReport(filters, { models: filters.model, groupBy: channelGrouping(filters) });
    return { currency: report.currency, rows: ofCampaign(report.rows, filters) };
  }

  async function loadComparison(filters) {
    const report = await roiReport(filters, { models: allModels().join(','), groupBy: channelGrouping(filters) });
    return { currency: report.currency, models: report.models, rows: ofCampaign(report.rows, filters), totals: report.totals };
  }

  /** One line per model: the report's totals, or with a campaign chosen, that campaign's rows. */
  async function loadTotals(filters, comparison) {
    if (!filters.campaignId) {
      const all = await comparison;
      return { currency: all.currency, rows: all.totals };
    }
    const report = await roiReport(filters, { models: allModels().join(','), groupBy: 'campaign' });
    return { currency: report.currency, rows: ofCampaign(report.rows, filters) };
  }

  async function loadTimeline(filters) {
    const report = await roiReport(filters, {
      models: filters.model,
      groupBy: filters.campaignId ? 'campaign' : 'none',
      interval: filters.interval,
    });
    const rows = ofCampaign(report.rows, filters)
      .filter((row) => row.model === filters.model)
      .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    return { currency: report.currency, rows };
  }

  async function loadCampaigns() {
    const select = $('filter-campaign');
    const wanted = select.dataset.wanted || select.value;
    try {
      const campaigns = await getJson('/v1/campaigns');
      select.replaceChildren(new Option('All campaigns', ''));
      for (const campaign of campaigns) select.add(new Option(campaign.name, campaign.id));
      select.value = campaigns.some((c) => c.id === wanted) ? wanted : '';
      select.disabled = false;
      select.title = '';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw error;
      // The reports may still be readable: the charts show every campaign.
      select.replaceChildren(new Option('All campaigns', ''));
      select.disabled = true;
      select.title = `The campaign list could not be read: ${error.message}`;
    }
    delete select.dataset.wanted;
  }

  // ---------------------------------------------------------------- filters

  const isoDay = (date) => date.toISOString().slice(0, 10);

  /** Filters from the page's address, so that a view can be bookmarked; the last 30 days by default. */
  function applyInitialFilters() {
    const params = new URLSearchParams(location.search);
    const today = new Date();
    $('filter-to').value = params.get('to') || isoDay(today);
    $('filter-from').value = params.get('from') || isoDay(new Date(today.getTime() - (DEFAULT_DAYS - 1) * DAY_MS));
    const model = params.get('model');
    if (model && allModels().includes(model)) $('filter-model').value = model;
    const interval = params.get('interval');
    if (interval && ['day', 'week', 'month'].includes(interval)) $('filter-interval').value = interval;
    if (params.get('campaign')) $('filter-campaign').dataset.wanted = params.get('campaign');
  }

  function readFilters() {
    return {
      from: $('filter-from').value,
      to: $('filter-to').value,
      model: $('filter-model').value,
      campaignId: $('filter-campaign').value,
      interval: $('filter-interval').value,
    };
  }

  /** The report's own limits on the range, checked here so that a half-changed range asks nothing of the API. */
  function checkRange(filters) {
    if (!filters.from || !filters.to) return 'Choose a first and a last day.';
    if (filters.to < filters.from) return 'The last day must be on or after the first day.';
    const years = Number(body.dataset.maxRangeYears);
    const [y, m, d] = filters.from.split('-').map(Number);
    const latest = new Date(Date.UTC(2000, m - 1, d));
    latest.setUTCFullYear(y + years, m - 1, d);
    // As dates, not text: past year 9999 the latest day is written with more digits.
    if (Date.parse(filters.to) > latest.getTime()) return `The range may cover at most ${years} years: the last day can be ${isoDay(latest)} at the latest.`;
    return '';
  }

  function rememberFilters(filters) {
    const params = new URLSearchParams({ from: filters.from, to: filters.to, model: filters.model, interval: filters.interval });
    if (filters.campaignId) params.set('campaign', filters.campaignId);
    history.replaceState(null, '', `${location.pathname}?${params}`);
  }

  // ---------------------------------------------------------------- messages and tables

  /** Writes a problem into an element as text: title, detail and each field problem. */
  function showProblem(element, lead, error) {
    element.replaceChildren();
    const problem = error instanceof ApiError ? error.problem : {};
    const status = error instanceof ApiError && error.status ? ` (${error.status})` : '';
    const title = problem.title ? `${problem.title}${status}: ` : status ? `Error${status}: ` : '';
    element.append(`${lead}${title}${error.message}`);
    const fields = Array.isArray(problem.errors) ? problem.errors : [];
    if (fields.length > 0) {
      const list = document.createElement('ul');
      for (const field of fields) {
        const item = document.createElement('li');
        item.textContent = `${field.path}: ${field.message}`;
        list.append(item);
      }
      element.append(list);
    }
    element.hidden = false;
  }

  function showText(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  const shown = (value) => (value === null || value === undefined ? '—' : String(value));

  function fillTable(table, caption, headers, rows, chosen) {
    table.replaceChildren();
    if (caption) table.createCaption().textContent = caption;
    const head = table.createTHead().insertRow();
    for (const header of headers) {
      const cell = document.createElement('th');
      cell.scope = 'col';
      cell.textContent = header;
      head.append(cell);
    }
    const tbody = table.createTBody();
    rows.forEach((values, index) => {
      const row = tbody.insertRow();
      if (chosen && chosen(index)) row.className = 'chosen';
      values.forEach((value, column) => {
        const cell = column === 0 ? document.createElement('th') : document.createElement('td');
        if (column === 0) cell.scope = 'row';
        cell.textContent = shown(value);
        row.append(cell);
      });
    });
  }

  // ---------------------------------------------------------------- charts

  function destroyChart(canvas) {
    const existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
  }

  /** Draws a chart of that type on the panel's canvas, in place of the one there was. */
  function draw(name, type, labels, datasets, scales) {
    const canvas = $(`chart-${name}`);
    destroyChart(canvas);
    canvas.parentElement.hidden = false;
    new Chart(canvas, {
      type,
      data: { labels, datasets },
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } }, scales },
    });
  }

  function clearPanel(name) {
    const canvas = $(`chart-${name}`);
    if (canvas) {
      destroyChart(canvas);
      canvas.parentElement.hidden = true;
    }
    $(`table-${name}`).replaceChildren();
    showText($(`message-${name}`), '');
  }

  /** One series of a chart in one color: the bars' fill, or the line and its points. */
  const series = (label, data, color, extra) => ({ label, data, borderColor: color, backgroundColor: color, ...extra });
  const axis = (text, extra) => ({ beginAtZero: true, title: { display: true, text }, ...extra });
  const amount = (value) => (value === null || value === undefined ? null : Number(value));

  const render = {
    funnel(funnel, filters) {
      const stages = funnel.stages;
      draw(
        'funnel',
        'bar',
        stages.map((s) => s.stage),
        [series('Reached', stages.map((s) => s.reached), COLORS[0]), series('Still in', stages.map((s) => s.stillIn), COLORS[5])],
        { y: axis('Leads', { ticks: { precision: 0 } }) },
      );
      fillTable(
        $('table-funnel'),
        `Leads: ${funnel.leads}, disqualified: ${funnel.disqualified}`,
        ['Stage', 'Reached', 'Still in', 'To next stage', 'Median days in stage'],
        stages.map((s) => [s.stage, s.reached, s.stillIn, s.toNextRate, s.medianDaysInStage]),
      );
      return funnel.leads === 0 ? (filters.campaignId ? 'No leads were enrolled in this campaign in this range.' : 'No leads were created in this range.') : '';
    },

    roi(data, filters) {
      const rows = data.rows;
      draw(
        'roi',
        'bar',
        rows.map((r) => r.channel),
        [
          series(`Revenue (${data.currency})`, rows.map((r) => amount(r.revenue)), COLORS[0], { yAxisID: 'y', order: 2 }),
          series(`Cost (${data.currency})`, rows.map((r) => amount(r.cost)), COLORS[1], { yAxisID: 'y', order: 3 }),
          series('ROI', rows.map((r) => r.roi), COLORS[2], { type: 'line', yAxisID: 'y1', order: 1 }),
        ],
        {
          y: axis(data.currency),
          y1: axis('ROI = (revenue − cost) / cost', { position: 'right', beginAtZero: false, grid: { drawOnChartArea: false } }),
        },
      );
      fillTable(
        $('table-roi'),
        `${modelLabel(filters.model)}, ${data.currency}`,
        ['Channel', 'Conversions', 'Revenue', 'Cost', 'ROI', 'ROAS', 'Cost per acquisition'],
        rows.map((r) => [r.channel, r.conversions, r.revenue, r.cost, r.roi, r.roas, r.costPerAcquisition]),
      );
      return rows.length === 0 ? 'No revenue or cost in this range.' : '';
    },

    models(data) {
      const channels = [...new Set(data.rows.map((r) => r.channel))];
      const revenue = (model, channel) => {
        const row = data.rows.find((r) => r.model === model && r.channel === channel);
        return row ? amount(row.revenue) : null;
      };
      draw(
        'models',
        'bar',
        channels,
        data.models.map((model, index) =>
          series(modelLabel(model), channels.map((channel) => revenue(model, channel)), COLORS[index % COLORS.length]),
        ),
        { y: axis(`Attributed revenue (${data.currency})`) },
      );
      fillTable(
        $('table-models'),
        `Attributed revenue, ${data.currency}`,
        ['Channel', ...data.models.map(modelLabel)],
        channels.map((channel) => [channel, ...data.models.map((model) => revenue(model, channel))]),
      );
      return channels.length === 0 ? 'No revenue in this range.' : '';
    },

    timeline(data, filters) {
      const rows = data.rows;
      draw(
        'timeline',
        'line',
        rows.map((r) => r.period),
        [
          series(`Revenue (${data.currency})`, rows.map((r) => amount(r.revenue)), COLORS[0]),
          series(`Cost (${data.currency})`, rows.map((r) => amount(r.cost)), COLORS[1]),
        ],
        { y: axis(data.currency) },
      );
      fillTable(
        $('table-timeline'),
        `${modelLabel(filters.model)}, by ${filters.interval}, ${data.currency}`,
        ['Period', 'Revenue', 'Cost', 'ROI'],
        rows.map((r) => [r.period, r.revenue, r.cost, r.roi]),
      );
      return rows.length === 0 ? 'No revenue or cost in this range.' : '';
    },

    totals(data, filters) {
      const rows = data.rows;
      fillTable(
        $('table-totals'),
        data.currency,
        ['Model', 'Conversions', 'Revenue', 'Cost', 'ROI', 'ROAS', 'Cost per acquisition'],
        rows.map((r) => [modelLabel(r.model), r.conversions, r.revenue, r.cost, r.roi, r.roas, r.costPerAcquisition]),
        (index) => rows[index].model === filters.model,
      );
      return '';
    },
  };

  // ---------------------------------------------------------------- loading

  function finish(seq, state) {
    body.dataset.state = state;
    body.dataset.loadedSeq = String(seq);
  }

  /** Reads every chart's data for the current filters and draws them; a failed chart shows why in its panel. */
  async function load() {
    const seq = ++loadSeq;
    body.dataset.state = 'loading';
    body.dataset.loadSeq = String(seq);
    const filters = readFilters();
    rememberFilters(filters);
    const rangeProblem = checkRange(filters);
    showText($('message'), rangeProblem);
    if (rangeProblem) {
      for (const name of PANELS) clearPanel(name);
      finish(seq, 'error');
      return;
    }

    const comparison = loadComparison(filters);
    const tasks = {
      totals: loadTotals(filters, comparison),
      funnel: loadFunnel(filters),
      roi: loadRoiByChannel(filters),
      models: comparison,
      timeline: loadTimeline(filters),
    };
    const names = Object.keys(tasks);
    const settled = await Promise.allSettled(Object.values(tasks));
    // A newer load started meanwhile: its answers are the ones to show.
    if (seq !== loadSeq) return;

    const refused = settled.find((s) => s.status === 'rejected' && s.reason instanceof ApiError && s.reason.refusesKey);
    if (refused) {
      signOut(refused.reason);
      return;
    }
    names.forEach((name, index) => {
      const outcome = settled[index];
      const message = $(`message-${name}`);
      message.classList.remove('bad');
      try {
        if (outcome.status === 'rejected') throw outcome.reason;
        showText(message, render[name](outcome.value, filters));
      } catch (error) {
        clearPanel(name);
        message.classList.add('bad');
        showProblem(message, 'Could not load this chart. ', error);
        if (!(error instanceof ApiError)) console.error(error);
      }
    });
    finish(seq, 'ready');
  }

  // ---------------------------------------------------------------- signing in and out

  function showDashboard(visible) {
    $('dashboard').hidden = !visible;
    $('sign-out').hidden = !visible;
    $('sign-in').hidden = visible;
  }

  async function enter() {
    showDashboard(true);
    try {
      await loadCampaigns();
    } catch (error) {
      signOut(error);
      return;
    }
    await load();
  }

  /** Forgets the key; with an error, says why the key was refused. */
  function signOut(error) {
    sessionStorage.removeItem(KEY_STORAGE);
    loadSeq++;
    for (const name of PANELS) clearPanel(name);
    showDashboard(false);
    if (error) {
      const lead = error.status === 403 ? 'This API key may not read reports. ' : 'The API key was not accepted. ';
      showProblem($('message'), lead, error);
    } else {
      showText($('message'), '');
    }
    body.dataset.state = 'signed-out';
    body.dataset.loadedSeq = String(loadSeq);
    $('api-key').focus();
  }

  function start() {
    if (typeof Chart === 'undefined') {
      showText($('message'), 'The chart library did not load; reload the page.');
      return;
    }
    applyInitialFilters();
    $('sign-in').addEventListener('submit', (event) => {
      event.preventDefault();
      const key = $('api-key').value.trim();
      if (!key) return;
      sessionStorage.setItem(KEY_STORAGE, key);
      $('api-key').value = '';
      showText($('message'), '');
      void enter();
    });
    $('sign-out').addEventListener('click', () => signOut(null));
    $('filters').addEventListener('submit', (event) => event.preventDefault());
    $('filters').addEventListener('change', () => void load());
    if (apiKey()) void enter();
    else showDashboard(false);
  }

  start();
})();
