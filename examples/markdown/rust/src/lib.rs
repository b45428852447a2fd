//! The Markdown editor's Rust side. pulldown-cmark parses the document: `md_parse` gives OCaml
//! what it needs to build the outline and the statistics (the headings with their source lines,
//! the prose text, the links), and `md_render_with_ids` renders the HTML preview with the anchor
//! ids OCaml computed. OCaml declares these with plain `external`s (ocaml/markdown.ml).
//!
//! `md_process_rust` is the whole pipeline in Rust alone (the same outline, anchors, statistics
//! and problems as OCaml's `markdown_process`, byte for byte), so that "OCaml + Rust" can be
//! measured against "one language alone".

use ocaml_interop::{FromOCaml, OCaml, OCamlDescriber, OCamlInt, OCamlList, OCamlRuntime, ToOCaml};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

// ---- the types OCaml receives (type heading = { level : int; text : string; line : int }, ...) ----

/// A heading of the document: its level (1..6), its plain text, its line (1-based).
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct Heading {
    #[ocaml(as_ = "OCamlInt")]
    pub level: i64,
    pub text: String,
    #[ocaml(as_ = "OCamlInt")]
    pub line: i64,
}

/// A link or an image: its destination as written, its line, and whether the renderer disabled
/// it (a `javascript:`, `vbscript:` or `data:` URL).
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct Link {
    pub target: String,
    #[ocaml(as_ = "OCamlInt")]
    pub line: i64,
    pub image: bool,
    pub unsafe_url: bool,
}

/// What one parse of the document gives OCaml.
#[derive(ToOCaml, FromOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct Doc {
    pub headings: Vec<Heading>,
    /// the prose: text and inline code, without code blocks or raw HTML (what words are counted in)
    pub prose: String,
    #[ocaml(as_ = "OCamlInt")]
    pub code_blocks: i64,
    pub links: Vec<Link>,
}

// ---- parsing and rendering (pulldown-cmark) ----------------------------------------------------

/// The same options for every parse, so that the renderer sees the headings `md_parse` saw.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_FOOTNOTES
}

/// Byte offset -> 1-based line number.
struct Lines(Vec<usize>);

impl Lines {
    fn new(src: &str) -> Lines {
        Lines(
            std::iter::once(0)
                .chain(src.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }
    fn line(&self, offset: usize) -> i64 {
        self.0.partition_point(|&start| start <= offset) as i64
    }
}

/// Whether a browser would run the URL as script or load it inline: its scheme, ignoring case,
/// whitespace and control characters (browsers ignore those, "java\tscript:" is javascript:).
pub fn unsafe_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// Whether a tag is a block (its text is not joined to the text around it: a tight list item's
/// text and its nested list are separate words) rather than an inline span.
fn is_block(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// One pass over the document: headings, prose, code blocks, links.
pub fn parse(src: &str) -> Doc {
    let lines = Lines::new(src);
    let mut doc = Doc {
        headings: Vec::new(),
        prose: String::new(),
        code_blocks: 0,
        links: Vec::new(),
    };
    let mut heading: Option<Heading> = None;
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        if let Event::Start(tag) = &event {
            if is_block(&tag.to_end()) {
                doc.prose.push('\n');
            }
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(Heading {
                    level: level as i64,
                    text: String::new(),
                    line: lines.line(range.start),
                });
            }
            Event::Start(Tag::CodeBlock(_)) => {
                doc.code_blocks += 1;
                in_code_block = true;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                doc.links.push(Link {
                    unsafe_url: unsafe_url(&dest_url),
                    target: dest_url.into_string(),
                    line: lines.line(range.start),
                    image: false,
                });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                doc.links.push(Link {
                    unsafe_url: unsafe_url(&dest_url),
                    target: dest_url.into_string(),
                    line: lines.line(range.start),
                    image: true,
                });
            }
            Event::End(end) => {
                match end {
                    TagEnd::Heading(_) => {
                        if let Some(mut h) = heading.take() {
                            h.text = h.text.trim().to_string();
                            doc.headings.push(h);
                        }
                    }
                    TagEnd::CodeBlock => in_code_block = false,
                    _ => {}
                }
                if is_block(&end) {
                    doc.prose.push('\n');
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
                if !in_code_block {
                    doc.prose.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = heading.as_mut() {
                    h.text.push(' ');
                }
                doc.prose.push(' ');
            }
            _ => {}
        }
    }
    doc
}

/// An unsafe link or image URL becomes "#".
fn safe(url: CowStr<'_>) -> CowStr<'_> {
    if unsafe_url(&url) {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

/// The HTML of the document. The n-th heading gets the id `ids[n]` (none past the end of `ids`).
/// Raw HTML is shown as text, never passed through (a preview must not run what it is shown),
/// and unsafe link and image URLs become "#".
pub fn render(src: &str, ids: &[String]) -> String {
    let mut next_id = ids.iter();
    let events = Parser::new_ext(src, options()).map(|event| match event {
        Event::Start(Tag::Heading {
            level, classes, attrs, ..
        }) => Event::Start(Tag::Heading {
            level,
            id: next_id.next().map(|s| CowStr::from(s.as_str())),
            classes,
            attrs,
        }),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        e => e,
    });
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

// ---- the pipeline in Rust alone (what OCaml does in ocaml/markdown.ml) -------------------------

/// Characters a slug drops besides ASCII punctuation: Latin-1 punctuation and symbols, general
/// punctuation, and the common emoji and symbol blocks. Other non-ASCII characters are kept.
pub fn dropped(c: u32) -> bool {
    match c {
        0x80..=0xBF => !matches!(c, 0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC..=0xBE),
        0xD7 | 0xF7 => true,
        0x2000..=0x206F | 0x2190..=0x23FF | 0x25A0..=0x27BF | 0xFE0F | 0x1F000..=0x1FAFF => true,
        _ => false,
    }
}

/// Lower case, for the letters of Latin-1, Latin Extended-A, Greek and Cyrillic (the other
/// non-ASCII letters are kept as they are). Not `char::to_lowercase`: OCaml has no Unicode case
/// tables, and both sides must give the same anchors.
pub fn lower(c: u32) -> u32 {
    match c {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE | 0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => c + 0x20,
        0x400..=0x40F => c + 0x50,
        0x386 => 0x3AC,
        0x388..=0x38A => c + 0x25,
        0x38C => 0x3CC,
        0x38E..=0x38F => c + 0x3F,
        0x178 => 0xFF,
        0x100..=0x12F | 0x132..=0x137 | 0x14A..=0x177 if c.is_multiple_of(2) => c + 1,
        0x139..=0x148 | 0x179..=0x17E if c % 2 == 1 => c + 1,
        _ => c,
    }
}

/// GitHub's slug of a heading: lower case, a space becomes '-', punctuation and symbols are
/// dropped ('-' and '_' kept); "section" when nothing is left.
pub fn slug_base(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => s.push(c.to_ascii_lowercase()),
            ' ' => s.push('-'),
            c if (c as u32) < 0x80 || dropped(c as u32) => {}
            c => s.push(char::from_u32(lower(c as u32)).unwrap_or(c)),
        }
    }
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

/// Unique slugs, as github-slugger makes them: foo, foo-1, foo-2 (skipping any already taken).
#[derive(Default)]
pub struct Slugger(std::collections::HashMap<String, u32>);

impl Slugger {
    pub fn slug(&mut self, base: &str) -> String {
        let mut result = base.to_string();
        while self.0.contains_key(&result) {
            let n = self.0.get_mut(base).expect("the base was taken first");
            *n += 1;
            result = format!("{base}-{n}");
        }
        self.0.insert(result.clone(), 0);
        result
    }
}

/// Outline numbers (1, 1.1, 1.2, 2, ...) from the nesting of the headings: a heading is a child of
/// the last heading of a lower level, so h1 -> h3 gives 1.1, not 1.0.1.
pub fn numbers(levels: &[i64]) -> Vec<String> {
    let mut stack: Vec<(i64, u32)> = Vec::new();
    levels
        .iter()
        .map(|&level| {
            let mut popped = None;
            while stack.last().is_some_and(|&(l, _)| l > level) {
                popped = stack.pop();
            }
            match stack.last_mut() {
                Some((l, n)) if *l == level => *n += 1,
                _ => stack.push((level, popped.map_or(1, |(_, n)| n + 1))),
            }
            stack.iter().map(|(_, n)| n.to_string()).collect::<Vec<_>>().join(".")
        })
        .collect()
}

/// Words: runs of non-whitespace holding at least one letter or digit (any non-ASCII byte counts
/// as one, so "naïve" and "日本語" are words).
pub fn count_words(text: &str) -> i64 {
    let mut words = 0;
    let mut in_word = false;
    for b in text.bytes() {
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            in_word = false;
        } else if !in_word && (b.is_ascii_alphanumeric() || b >= 0x80) {
            in_word = true;
            words += 1;
        }
    }
    words
}

/// Minutes to read at 200 words a minute, rounded up.
pub fn reading_minutes(words: i64) -> i64 {
    (words + 199) / 200
}

pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The whole pipeline in Rust: parse, outline, anchors, statistics, problems, HTML, as JSON (the
/// same bytes as OCaml's `markdown_process`).
pub fn process(src: &str) -> String {
    let doc = parse(src);
    let levels: Vec<i64> = doc.headings.iter().map(|h| h.level).collect();
    let numbers = numbers(&levels);
    let mut slugger = Slugger::default();
    let bases: Vec<String> = doc.headings.iter().map(|h| slug_base(&h.text)).collect();
    let slugs: Vec<String> = bases.iter().map(|b| slugger.slug(b)).collect();
    let html = render(src, &slugs);
    let words = count_words(&doc.prose);

    let mut problems = Vec::new();
    for (i, h) in doc.headings.iter().enumerate() {
        if h.text.is_empty() {
            problems.push(format!("line {}: empty heading (h{})", h.line, h.level));
        }
        if i > 0 && h.level > doc.headings[i - 1].level + 1 {
            let prev = doc.headings[i - 1].level;
            problems.push(format!(
                "line {}: h{} \"{}\" follows h{} (skips h{})",
                h.line,
                h.level,
                h.text,
                prev,
                prev + 1
            ));
        }
        if slugs[i] != bases[i] {
            problems.push(format!(
                "line {}: duplicate heading \"{}\" (anchor #{})",
                h.line, h.text, slugs[i]
            ));
        }
    }
    for l in &doc.links {
        let what = if l.image { "image" } else { "link" };
        if l.unsafe_url {
            problems.push(format!("line {}: unsafe {what} URL disabled", l.line));
        } else if let Some(anchor) = l.target.strip_prefix('#') {
            if !l.image && !anchor.is_empty() && !slugs.iter().any(|s| s == anchor) {
                problems.push(format!("line {}: link to #{anchor} matches no heading", l.line));
            }
        }
    }

    let mut out = String::with_capacity(html.len() + 256);
    out.push_str("{\"html\":");
    json_string(&mut out, &html);
    out.push_str(",\"outline\":[");
    for (i, h) in doc.headings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"number\":");
        json_string(&mut out, &numbers[i]);
        out.push_str(&format!(",\"level\":{},\"text\":", h.level));
        json_string(&mut out, &h.text);
        out.push_str(",\"slug\":");
        json_string(&mut out, &slugs[i]);
        out.push('}');
    }
    out.push_str(&format!(
        "],\"words\":{words},\"minutes\":{},\"headings\":{},\"code_blocks\":{},\"problems\":[",
        reading_minutes(words),
        doc.headings.len(),
        doc.code_blocks
    ));
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(&mut out, p);
    }
    out.push_str("]}");
    out
}

// ---- the exports OCaml (and TypeScript) call ---------------------------------------------------

/// `external md_render_html : string -> string = "md_render_html"`: the HTML, no heading ids.
#[ocaml_interop::export]
pub fn md_render_html(cr: &mut OCamlRuntime, src: OCaml<String>) -> OCaml<String> {
    let src: String = src.to_rust();
    render(&src, &[]).to_ocaml(cr)
}

/// `external md_headings : string -> heading list = "md_headings"`
#[ocaml_interop::export]
pub fn md_headings(cr: &mut OCamlRuntime, src: OCaml<String>) -> OCaml<OCamlList<Heading>> {
    let src: String = src.to_rust();
    parse(&src).headings.to_ocaml(cr)
}

/// `external md_parse : string -> doc = "md_parse"`: headings, prose, code blocks and links.
#[ocaml_interop::export]
pub fn md_parse(cr: &mut OCamlRuntime, src: OCaml<String>) -> OCaml<Doc> {
    let src: String = src.to_rust();
    parse(&src).to_ocaml(cr)
}

/// `external md_render_with_ids : string -> string list -> string = "md_render_with_ids"`
#[ocaml_interop::export]
pub fn md_render_with_ids(cr: &mut OCamlRuntime, src: OCaml<String>, ids: OCaml<OCamlList<String>>) -> OCaml<String> {
    let src: String = src.to_rust();
    let ids: Vec<String> = ids.to_rust();
    render(&src, &ids).to_ocaml(cr)
}

/// The whole pipeline in Rust alone (the benchmark's "one language" side of `markdown_process`).
#[ocaml_interop::export]
pub fn md_process_rust(cr: &mut OCamlRuntime, src: OCaml<String>) -> OCaml<String> {
    let src: String = src.to_rust();
    process(&src).to_ocaml(cr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_numbers() {
        let mut s = Slugger::default();
        let got: Vec<String> = ["Foo", "Foo", "foo-1", "Foo"]
            .iter()
            .map(|t| s.slug(&slug_base(t)))
            .collect();
        assert_eq!(got, ["foo", "foo-1", "foo-1-1", "foo-2"]);
        assert_eq!(slug_base("What's new? (2024)"), "whats-new-2024");
        assert_eq!(slug_base("🚀 Launch — now"), "-launch--now");
        assert_eq!(
            slug_base("Ünïcödé Straße ŁÓDŹ Ελληνικά Άλφα ПРИВЕТ Ёж"),
            "ünïcödé-straße-łódź-ελληνικά-άλφα-привет-ёж"
        );
        assert_eq!(
            numbers(&[1, 2, 2, 1, 3, 2, 3]),
            ["1", "1.1", "1.2", "2", "2.1", "2.2", "2.2.1"]
        );
    }

    #[test]
    fn parse_and_render() {
        let d = parse("# A *b*\n\ntext `code`\n\n```\nx y z\n```\n\n## [l](#a-b)\n");
        assert_eq!(
            d.headings,
            [
                Heading {
                    level: 1,
                    text: "A b".into(),
                    line: 1
                },
                Heading {
                    level: 2,
                    text: "l".into(),
                    line: 9
                }
            ]
        );
        assert_eq!(count_words(&d.prose), 5);
        assert_eq!(d.code_blocks, 1);
        assert_eq!(count_words(&parse("- [a](#a)\n  - b\n    - `c`\n- d\n").prose), 4);
        assert_eq!(
            render("<b>x</b> [a](javascript:alert(1))", &[]),
            "<p>&lt;b&gt;x&lt;/b&gt; <a href=\"#\">a</a></p>\n"
        );
    }

    #[test]
    fn deep_nesting_and_long_lines() {
        let deep = format!(
            "{}deep\n\n{}x{}",
            "> ".repeat(5000),
            "[".repeat(20000),
            "*a".repeat(20000)
        );
        let out = process(&deep);
        assert!(out.contains("deep"));
        let long = format!("# T\n\n{}", "word ".repeat(200_000));
        assert!(process(&long).contains("\"words\":200001,\"minutes\":1001"));
    }
}
