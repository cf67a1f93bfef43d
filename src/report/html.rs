//! The HTML report (`--format html`): one self-contained page.
//!
//! ```text
//! <header>   title, rule files and their sources, as-of date,
//!            data files and their row accounting, a badge per status
//! <main>     per rule file, per section, a card per target:
//!              status, name, description, message, deadline, progress,
//!              latest data, owner, quote, and a chart (svg.rs)
//!            a `for each` target: one card, a table row per entity
//!              (value, status, message, sparkline)
//! ```
//!
//! The page needs nothing but itself: CSS inline, charts as inline SVG, no
//! script, no font, no image, and a Content-Security-Policy that forbids
//! loading anything, so a page that tried would say so in the browser's
//! console. It reads on a phone (viewport meta, one column under 640px)
//! and prints (white background, cards kept whole on a page). Status is
//! written as a word next to its colour, and every chart describes itself
//! in words.
//!
//! Every piece of text from rule files and data (titles, descriptions,
//! quotes, ids, dimension values, messages, file names, units) goes
//! through [`Escaped`]. Like the other formats it streams: results are
//! written as they come; only a `for each` target's entities, which sit
//! next to each other in an evaluation, are looked at together.

use std::io::{self, Write};
use std::path::PathBuf;

use super::svg::{self, ChartData, Escaped};
use super::text::{old_data_flag, progress_line, tag};
use super::{Report, Summary, group_digits};
use crate::eval::{Status, TargetResult, ValueKind};
use crate::syntax::ast::Severity;

/// The page's style sheet: statuses `s-*`, chart parts by short class
/// names (see svg.rs), print and phone rules.
const STYLE: &str = r#"
:root{--ok:#1a7f37;--ok-bg:#dafbe1;--bad:#cf222e;--bad-bg:#ffebe9;--nd:#7d4e00;--nd-bg:#fff8c5;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{margin:0;padding:1rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
main,body>header{max-width:1100px;margin:0 auto}
h1{font-size:1.5rem;margin:0 0 .5rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:1.25rem 0 .5rem;color:var(--muted)}
h4{font-size:1rem;margin:0}
code{font:.85em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.meta{margin:.25rem 0;color:var(--muted)}
.files{margin:.25rem 0;padding-left:1.2rem}
table{border-collapse:collapse;margin:.25rem 0}
td,th{padding:.2rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.badges{list-style:none;padding:0;margin:.75rem 0;display:flex;flex-wrap:wrap;gap:.4rem}
.st{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;white-space:nowrap;border:1px solid currentColor}
.badges .st{font-size:.9rem}
.s-met,.s-achieved,.s-on_track{color:var(--ok);background:var(--ok-bg)}
.s-missed,.s-off_track,.s-error{color:var(--bad);background:var(--bad-bg)}
.s-no_data{color:var(--nd);background:var(--nd-bg)}
.zero{color:var(--muted);background:none;font-weight:400}
.cards{display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(min(100%,480px),1fr));gap:.75rem}
.card{background:#fff;border:1px solid var(--line);border-left:5px solid var(--line);border-radius:6px;padding:.75rem;break-inside:avoid;page-break-inside:avoid;min-width:0}
.card.wide{grid-column:1/-1}
.card.b-ok{border-left-color:var(--ok)}.card.b-bad{border-left-color:var(--bad)}.card.b-nd{border-left-color:#d4a72c}
.card header{display:flex;flex-wrap:wrap;gap:.25rem .5rem;align-items:baseline}
.card p{margin:.35rem 0}
.id{color:var(--muted);font-size:.85rem}
.msg{font-weight:500}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .6rem;margin:.4rem 0;font-size:.875rem}
dt{color:var(--muted)}dd{margin:0;min-width:0;overflow-wrap:anywhere}
blockquote{margin:.4rem 0;padding-left:.6rem;border-left:3px solid var(--line);color:var(--muted);font-size:.875rem}
.old{color:var(--nd)}
.nochart{color:var(--muted);font-style:italic;font-size:.875rem}
svg{display:block}
.ch{width:100%;max-width:540px;height:auto;margin-top:.4rem}
.sp{width:100px;height:20px}
.ch text{font:10px system-ui,sans-serif;fill:#57606a}
.ch .yl{text-anchor:end}.ch .xl{text-anchor:middle}.ch .u{font-weight:600}
.ch .lb{fill:#1f2328;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}.ch .e{text-anchor:end}
.gr{stroke:#eaeef2;fill:none}.ax{stroke:#8c959f;fill:none}
.ob{stroke:#0969da;stroke-width:2;fill:none;stroke-linejoin:round}
.pt{stroke:#0969da;stroke-width:6;stroke-linecap:round;fill:none}
.sp .ob{stroke-width:3}.sp .pt{stroke-width:8}
.pj{stroke:#0969da;stroke-width:2;stroke-dasharray:5 4;fill:none}
.pp{fill:#fff;stroke:#0969da;stroke-width:2}
.tg{stroke:#bc4c00;stroke-width:1.5;fill:none}
.sp .tg{stroke-width:2;stroke-dasharray:4 3}
.dl{stroke:#57606a;stroke-width:1;stroke-dasharray:2 3;fill:none}
.legend{font-size:.8rem;color:var(--muted);margin:.2rem 0 0;display:flex;flex-wrap:wrap;gap:.1rem .8rem}
.k::before{content:"";display:inline-block;width:1.4em;height:0;margin-right:.3em;vertical-align:middle;border-top:2px solid #0969da}
.k.kp::before{border-top-style:dashed}.k.kt::before{border-color:#bc4c00}.k.kd::before{border-top:1px dotted #57606a}
.ents{width:100%;font-size:.875rem}
.ents td:last-child{width:108px}
@media (max-width:640px){body{padding:.5rem;font-size:14px}.ch text{font-size:11px}.data code{white-space:nowrap}.card{padding:.6rem}.tw{overflow-x:auto}.ents thead{display:none}.ents tr{display:grid;grid-template-columns:auto auto 1fr;align-items:center;border-bottom:1px solid var(--line)}.ents td{border:0}.ents td.m{grid-column:1/-1;grid-row:2;padding-top:0}.ents td:last-child{justify-self:end}}
@media print{body{background:#fff;padding:0;font-size:11pt}.cards{display:block}.card{margin:0 0 .5rem;border-color:#999}.s-met,.s-achieved,.s-on_track,.s-missed,.s-off_track,.s-error,.s-no_data{background:#fff}h2,h3{break-after:avoid}}
"#;

/// Writes the HTML report.
pub fn write<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    let summary = report.summary()?;
    write_head(report, out)?;
    write_summary(report, &summary, out)?;
    out.write_all(b"<main>\n")?;
    let mut file: Option<PathBuf> = None;
    let mut section: Option<Option<String>> = None;
    // The entities of a `for each` target follow each other and share a
    // card: they are held until the target's last one has come.
    let mut entities: Vec<TargetResult> = Vec::new();
    report.results.each(&mut |result| {
        let same_target = |other: &TargetResult| {
            other.id == result.id && other.file == result.file && other.line == result.line
        };
        let continues = entities
            .first()
            .is_some_and(|first| result.entity.is_some() && same_target(first));
        if !entities.is_empty() && !continues {
            write_entities_card(out, &entities)?;
            entities.clear();
        }
        if file.as_deref() != Some(result.file.as_path()) {
            if file.is_some() {
                out.write_all(b"</div></section>\n")?;
            }
            out.write_all(b"<section class=\"file\">")?;
            let path = result.file.display().to_string();
            match report.rule_set(&result.file).and_then(|r| r.title()) {
                Some(title) => write!(
                    out,
                    "<h2>{} <small><code>{}</code></small></h2>",
                    Escaped(title),
                    Escaped(&path)
                )?,
                None => write!(out, "<h2><code>{}</code></h2>", Escaped(&path))?,
            }
            file = Some(result.file.clone());
            section = None;
        }
        if section.as_ref() != Some(&result.section) {
            if section.is_some() {
                out.write_all(b"</div>")?;
            }
            if let Some(name) = &result.section {
                write!(out, "\n<h3>{}</h3>", Escaped(name))?;
            }
            out.write_all(b"\n<div class=\"cards\">\n")?;
            section = Some(result.section.clone());
        }
        if result.entity.is_some() {
            entities.push(result.clone());
            Ok(())
        } else {
            write_card(out, result)
        }
    })?;
    if !entities.is_empty() {
        write_entities_card(out, &entities)?;
    }
    if file.is_some() {
        out.write_all(b"</div></section>\n")?;
    }
    out.write_all(b"</main>\n</body>\n</html>\n")
}

fn write_head<W: Write + ?Sized>(report: &Report<'_>, out: &mut W) -> io::Result<()> {
    let title = page_title(report);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{} — as of {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        Escaped(&title),
        report.as_of
    )
}

/// The title of the only rule file, else a generic one.
fn page_title(report: &Report<'_>) -> String {
    match report.rules {
        [only] => only.title().unwrap_or("Targets report").to_string(),
        _ => "Targets report".to_string(),
    }
}

fn write_summary<W: Write + ?Sized>(
    report: &Report<'_>,
    summary: &Summary,
    out: &mut W,
) -> io::Result<()> {
    write!(out, "<header>\n<h1>{}</h1>\n", Escaped(&page_title(report)))?;
    out.write_all(b"<ul class=\"files\">\n")?;
    for rules in report.rules {
        out.write_all(b"<li>")?;
        if let Some(title) = rules.title() {
            write!(out, "{} ", Escaped(title))?;
        }
        write!(
            out,
            "<code>{}</code>",
            Escaped(&rules.path.display().to_string())
        )?;
        if let Some(source) = rules.source() {
            write!(out, " — source: {}", Escaped(source))?;
        }
        out.write_all(b"</li>\n")?;
    }
    out.write_all(b"</ul>\n")?;
    let total = summary.total();
    writeln!(
        out,
        "<p class=\"meta\">As of <time datetime=\"{0}\">{0}</time>: observations ending later were ignored. {1} result{2}.</p>",
        report.as_of,
        group_digits(total as u64),
        if total == 1 { "" } else { "s" }
    )?;
    out.write_all(b"<ul class=\"badges\">")?;
    for (status, count) in summary.counts() {
        let zero = if count == 0 { " zero" } else { "" };
        write!(
            out,
            "<li class=\"st s-{}{zero}\">{} {}</li>",
            status.as_str(),
            group_digits(count as u64),
            tag(status).to_lowercase()
        )?;
    }
    out.write_all(b"</ul>\n")?;
    if !report.data.is_empty() {
        out.write_all(
            b"<div class=\"tw\"><table class=\"data\"><thead><tr><th>data file</th><th>rows read</th><th>loaded</th><th>missing</th><th>rejected</th></tr></thead><tbody>\n",
        )?;
        for account in report.data {
            writeln!(
                out,
                "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                Escaped(&account.path.display().to_string()),
                group_digits(account.rows_read),
                group_digits(account.rows_loaded),
                group_digits(account.rows_missing),
                group_digits(account.rows_rejected),
            )?;
        }
        out.write_all(b"</tbody></table></div>\n")?;
    }
    if report.data_warnings > 0 {
        writeln!(
            out,
            "<p class=\"meta\">{} data warning{}</p>",
            group_digits(report.data_warnings as u64),
            if report.data_warnings == 1 { "" } else { "s" }
        )?;
    }
    out.write_all(b"</header>\n")
}

/// The colour of a card's edge: good, bad or unknown.
fn border(status: Status) -> &'static str {
    match status {
        Status::Met | Status::Achieved | Status::OnTrack => "b-ok",
        Status::Missed | Status::OffTrack | Status::Error => "b-bad",
        Status::NoData => "b-nd",
    }
}

/// `<span class="st s-on_track">ON TRACK</span>`
fn write_status<W: Write + ?Sized>(out: &mut W, status: Status) -> io::Result<()> {
    write!(
        out,
        "<span class=\"st s-{}\">{}</span>",
        status.as_str(),
        tag(status)
    )
}

/// The card's first lines: status, description (or id), id, file line.
fn write_card_header<W: Write + ?Sized>(
    out: &mut W,
    result: &TargetResult,
    status: Option<Status>,
) -> io::Result<()> {
    out.write_all(b"<header>")?;
    if let Some(status) = status {
        write_status(out, status)?;
    }
    match &result.description {
        Some(description) => write!(out, "<h4>{}</h4>", Escaped(description))?,
        None => write!(out, "<h4><code>{}</code></h4>", Escaped(&result.id))?,
    }
    out.write_all(b"</header>\n")?;
    out.write_all(b"<p class=\"id\">")?;
    if result.description.is_some() {
        write!(out, "<code>{}</code> · ", Escaped(&result.id))?;
    }
    write!(
        out,
        "{} line {}",
        Escaped(&result.file.display().to_string()),
        result.line
    )?;
    if result.severity == Severity::Warning {
        out.write_all(" · warning only".as_bytes())?;
    }
    out.write_all(b"</p>\n")
}

fn write_card<W: Write + ?Sized>(out: &mut W, result: &TargetResult) -> io::Result<()> {
    writeln!(
        out,
        "<article class=\"card {}\" id=\"{}\">",
        border(result.status),
        Escaped(&result.name)
    )?;
    write_card_header(out, result, Some(result.status))?;
    if !result.message.is_empty() {
        writeln!(out, "<p class=\"msg\">{}</p>", Escaped(&result.message))?;
    }
    // Only the facts the result has, and no empty list.
    let mut facts = Vec::new();
    if let Some(deadline) = result.deadline {
        write!(facts, "<dt>Deadline</dt><dd>{deadline}</dd>")?;
    }
    if let Some(progress) = &result.progress {
        write!(
            facts,
            "<dt>Progress</dt><dd>{}</dd>",
            Escaped(&progress_line(progress))
        )?;
    } else if let Some(note) = &result.progress_note {
        write!(facts, "<dt>Progress</dt><dd>{}</dd>", Escaped(note))?;
    }
    if let Some(latest) = result.latest_period {
        match old_data_flag(result) {
            Some(_) => write!(
                facts,
                "<dt>Latest data</dt><dd class=\"old\">{latest} (more than three years old)</dd>"
            )?,
            None => write!(facts, "<dt>Latest data</dt><dd>{latest}</dd>")?,
        }
    }
    if let Some(owner) = &result.owner {
        write!(facts, "<dt>Owner</dt><dd>{}</dd>", Escaped(owner))?;
    }
    if !result.tags.is_empty() {
        write!(
            facts,
            "<dt>Tags</dt><dd>{}</dd>",
            Escaped(&result.tags.join(", "))
        )?;
    }
    write_facts(out, &facts)?;
    if let Some(quote) = &result.quote {
        writeln!(out, "<blockquote>{}</blockquote>", Escaped(quote))?;
    }
    let data = chart_data(result);
    if data.history.is_empty() {
        writeln!(out, "<p class=\"nochart\">{}</p>", no_chart_reason(result))?;
    } else {
        svg::write_chart(out, &data, &describe(result, &data))?;
        out.write_all(b"\n<p class=\"legend\"><span class=\"k\">observed</span>")?;
        if data.projection.is_some() {
            out.write_all(b"<span class=\"k kp\">projected</span>")?;
        }
        if data.target.is_some() {
            out.write_all(b"<span class=\"k kt\">target</span>")?;
        }
        if data.deadline.is_some() {
            out.write_all(b"<span class=\"k kd\">deadline</span>")?;
        }
        out.write_all(b"</p>\n")?;
    }
    out.write_all(b"</article>\n")
}

/// One card for a `for each` target: what its entities share, then a row
/// per entity.
fn write_entities_card<W: Write + ?Sized>(
    out: &mut W,
    entities: &[TargetResult],
) -> io::Result<()> {
    let first = &entities[0];
    let worst = entities
        .iter()
        .map(|r| r.status)
        .max_by_key(|s| severity_rank(*s))
        .unwrap_or(Status::NoData);
    writeln!(
        out,
        "<article class=\"card wide {}\" id=\"{}\">",
        border(worst),
        Escaped(&first.id)
    )?;
    write_card_header(out, first, None)?;
    let dimension = first.entity.as_ref().map_or("", |(d, _)| d.as_str());
    out.write_all(b"<p class=\"msg\">")?;
    write!(
        out,
        "{} {}{}: ",
        group_digits(entities.len() as u64),
        Escaped(dimension),
        if entities.len() == 1 { "" } else { " values" }
    )?;
    let mut first_count = true;
    for status in Status::ALL {
        let n = entities.iter().filter(|r| r.status == status).count();
        if n > 0 {
            if !first_count {
                out.write_all(b", ")?;
            }
            first_count = false;
            write!(
                out,
                "{} {}",
                group_digits(n as u64),
                tag(status).to_lowercase()
            )?;
        }
    }
    out.write_all(b"</p>\n")?;
    let mut facts = Vec::new();
    if let Some(deadline) = first.deadline {
        write!(facts, "<dt>Deadline</dt><dd>{deadline}</dd>")?;
    }
    if let Some(owner) = &first.owner {
        write!(facts, "<dt>Owner</dt><dd>{}</dd>", Escaped(owner))?;
    }
    write_facts(out, &facts)?;
    if let Some(quote) = &first.quote {
        writeln!(out, "<blockquote>{}</blockquote>", Escaped(quote))?;
    }
    writeln!(
        out,
        "<div class=\"tw\"><table class=\"ents\"><thead><tr><th>{}</th><th>status</th><th>message</th><th>trend</th></tr></thead><tbody>",
        Escaped(dimension)
    )?;
    for result in entities {
        let value = result.entity.as_ref().map_or("", |(_, v)| v.as_str());
        write!(
            out,
            "<tr id=\"{}\"><td>{}</td><td>",
            Escaped(&result.name),
            Escaped(value)
        )?;
        write_status(out, result.status)?;
        write!(out, "</td><td class=\"m\">{}", Escaped(&result.message))?;
        if let Some(progress) = &result.progress {
            write!(out, "<br>{}", Escaped(&progress_line(progress)))?;
        }
        out.write_all(b"</td><td>")?;
        let data = chart_data(result);
        if data.history.is_empty() {
            out.write_all(b"no data")?;
        } else {
            svg::write_sparkline(out, &data, &describe(result, &data))?;
        }
        out.write_all(b"</td></tr>\n")?;
    }
    out.write_all(b"</tbody></table></div>\n</article>\n")
}

/// A card's facts (`<dt>`/`<dd>` pairs) as a list, if there are any.
fn write_facts<W: Write + ?Sized>(out: &mut W, facts: &[u8]) -> io::Result<()> {
    if facts.is_empty() {
        return Ok(());
    }
    out.write_all(b"<dl>")?;
    out.write_all(facts)?;
    out.write_all(b"</dl>\n")
}

/// Worse statuses rank higher: a `for each` card's edge shows its worst entity.
fn severity_rank(status: Status) -> u8 {
    match status {
        Status::Met => 0,
        Status::Achieved => 1,
        Status::OnTrack => 2,
        Status::NoData => 3,
        Status::OffTrack => 4,
        Status::Missed => 5,
        Status::Error => 6,
    }
}

/// What a result's chart shows: its history, and the level and projection
/// when they are in the history's unit.
fn chart_data(result: &TargetResult) -> ChartData<'_> {
    let unit = result.history_unit.as_deref();
    let target = result
        .target
        .as_ref()
        .filter(|t| t.unit.as_deref() == unit)
        .and_then(|t| Some((t.op.as_str(), parse_display(&t.display)?)));
    let projection = result
        .values
        .iter()
        .find(|v| v.kind == ValueKind::Projected && v.unit.as_deref() == unit)
        .and_then(|v| Some((v.period, parse_display(&v.display)?)));
    ChartData {
        history: &result.history,
        target,
        deadline: result.deadline,
        projection,
        unit,
    }
}

/// A value as a result displays it (`164678`, `1,227`, `-28.6`).
fn parse_display(display: &str) -> Option<f64> {
    let value: f64 = display.replace(',', "").parse().ok()?;
    value.is_finite().then_some(value)
}

/// A chart in words, for screen readers and tooltips.
fn describe(result: &TargetResult, data: &ChartData<'_>) -> String {
    let unit = match data.unit {
        Some("%") => "%".to_string(),
        Some(unit) => format!(" {unit}"),
        None => String::new(),
    };
    let mut text = format!("{}: ", result.name);
    match (data.history.first(), data.history.last()) {
        (Some((first, _)), Some((last, value))) if data.history.len() > 1 => {
            text += &format!(
                "{} observations from {first} to {last}, latest {}{unit}",
                data.history.len(),
                svg::number(*value)
            );
        }
        (Some((only, value)), _) => {
            text += &format!("one observation, {only}: {}{unit}", svg::number(*value));
        }
        _ => text += "no observations",
    }
    if let Some((op, level)) = data.target {
        text += &format!(
            "; target {} {}{unit}",
            svg::op_symbol(op),
            svg::number(level)
        );
    }
    if let Some(deadline) = data.deadline {
        text += &format!("; deadline {deadline}");
    }
    if let Some((period, value)) = data.projection {
        text += &format!("; projected {}{unit} in {period}", svg::number(value));
    }
    text
}

/// Why a card has no chart.
fn no_chart_reason(result: &TargetResult) -> &'static str {
    match result.status {
        Status::Error => {
            "No chart: the target could not be evaluated, so there are no observations to plot."
        }
        Status::NoData => "No chart: there is too little data to plot (see the message above).",
        _ => "No chart: the result has no single series of observations to plot.",
    }
}
