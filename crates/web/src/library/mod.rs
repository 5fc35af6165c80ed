//! The toolkit library: a page for each part of the toolkit and for each item in it,
//! read from the national baseline content.

mod measures;

pub(crate) mod diagrams;

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use cradle_content::search::SearchIndex;
use cradle_content::{
    CaseStudy, Characteristic, Competency, Content, Element, Factor, GlossaryTerm, Indicator,
    Measure, Scenario, Source,
};
use cradle_domain::{Dimension, Domain, EcoLevel, FactTheme, FactorKind, Stage, Tier};

use crate::AppState;
use crate::shared::error::{AppError, render};
use crate::shared::forms::FormErrors;
use crate::shared::glossary_links::{GlossaryLinker, PageLinks};
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::Routes;
use diagrams::Diagrams;
use measures::{CheckboxGroup, SubmittedQuery, compare_example, measures, measures_compare};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Public;
    routes
        .get("/toolkit", Public, toolkit)
        .get("/toolkit/why-it-matters", Public, why)
        .get("/toolkit/shared-understanding", Public, shared)
        .get("/toolkit/framework", Public, framework)
        .get("/toolkit/framework/stages/{stage}", Public, stage)
        .get("/toolkit/framework/{id}", Public, element)
        .get("/toolkit/socio-ecological-model", Public, ecology)
        .get("/toolkit/factors/{id}", Public, factor)
        .get("/toolkit/scenarios/{id}", Public, scenario)
        .get("/toolkit/case-studies/{id}", Public, case_study)
        .get("/toolkit/whole-system", Public, whole_system)
        .get("/toolkit/whole-system/{id}", Public, characteristic)
        .get("/toolkit/workforce", Public, workforce)
        .get("/toolkit/workforce/{id}", Public, competency)
        .get("/toolkit/measures", Public, measures)
        .get("/toolkit/measures/compare", Public, measures_compare)
        .get("/toolkit/measures/{id}", Public, measure)
        .get("/toolkit/indicators/{id}", Public, indicator)
        .get("/toolkit/sources", Public, sources)
        .get("/toolkit/diagrams/{file}", Public, diagrams::diagram)
        .get("/glossary", Public, glossary)
        .get("/glossary/{id}", Public, term)
}

/// The content and what is derived from it once at start-up.
pub struct Library {
    pub content: Arc<Content>,
    pub links: GlossaryLinker,
    pub search: SearchIndex,
    pub diagrams: Diagrams,
}

impl Library {
    pub fn new(content: Arc<Content>) -> Self {
        let links = GlossaryLinker::new(&content);
        let search = SearchIndex::build(&content);
        let diagrams = Diagrams::new(&content);
        Self {
            content,
            links,
            search,
            diagrams,
        }
    }
}

/// What every library template uses: the content, glossary linking for this page, and
/// helpers for citations and addresses.
pub(crate) struct View<'a> {
    pub content: &'a Content,
    pub links: PageLinks<'a>,
}

impl<'a> View<'a> {
    fn new(library: &'a Library, skip_term: Option<&str>) -> Self {
        Self {
            content: &library.content,
            links: library.links.for_page(skip_term),
        }
    }

    /// Running text as HTML with glossary terms linked (render with `|safe`).
    pub fn text(&self, text: &str) -> String {
        self.links.text(text)
    }

    /// The sources cited by `ids`, in the order cited.
    pub fn cite(&self, ids: &[String]) -> Vec<&'a Source> {
        ids.iter()
            .filter_map(|id| self.content.sources.by_id(id))
            .collect()
    }

    pub fn elements_in(&self, dimension: &Dimension, domain: &Domain) -> Vec<&'a Element> {
        self.content
            .elements
            .iter()
            .filter(|e| e.dimension == *dimension && e.domain == *domain)
            .collect()
    }

    pub fn factors_at(&self, level: &EcoLevel, kind: &FactorKind) -> Vec<&'a Factor> {
        self.content
            .factors
            .iter()
            .filter(|f| f.level == *level && f.kind == *kind)
            .collect()
    }

    pub fn level_title(&self, level: &EcoLevel) -> &'a str {
        self.content
            .levels
            .iter()
            .find(|l| l.id == *level)
            .map_or(level.label(), |l| l.title.as_str())
    }

    pub fn facts_about(&self, theme: &FactTheme) -> Vec<&'a cradle_content::Fact> {
        self.content
            .facts
            .iter()
            .filter(|f| f.theme == *theme)
            .collect()
    }

    pub fn prompts_in(&self, theme: &str) -> Vec<&'a cradle_content::Prompt> {
        self.content
            .prompts
            .iter()
            .filter(|p| p.theme == theme)
            .collect()
    }

    pub fn system_parts_at(&self, tier: &Tier) -> Vec<&'a cradle_content::SystemPart> {
        self.content
            .system_parts
            .iter()
            .filter(|p| p.tier == *tier)
            .collect()
    }

    pub fn competencies_in(&self, domain: &str) -> Vec<&'a Competency> {
        self.content
            .competencies
            .iter()
            .filter(|c| c.domain == domain)
            .collect()
    }

    pub fn measures_for(&self, element: &str) -> Vec<&'a Measure> {
        self.content
            .measures
            .iter()
            .filter(|m| m.elements.iter().any(|e| e == element))
            .collect()
    }

    pub fn element(&self, id: &str) -> Option<&'a Element> {
        self.content.elements.by_id(id)
    }

    pub fn factor(&self, id: &str) -> Option<&'a Factor> {
        self.content.factors.by_id(id)
    }

    pub fn characteristic(&self, id: &str) -> Option<&'a Characteristic> {
        self.content.characteristics.by_id(id)
    }

    pub fn glossary_term(&self, id: &str) -> Option<&'a GlossaryTerm> {
        self.content.glossary.by_id(id)
    }

    pub fn source(&self, id: &str) -> Option<&'a Source> {
        self.content.sources.by_id(id)
    }

    pub fn competency_domain_title(&self, id: &str) -> &'a str {
        self.content
            .competency_domains
            .by_id(id)
            .map_or("", |d| d.title.as_str())
    }

    /// Glossary terms grouped by first letter, for the A to Z.
    pub fn glossary_by_letter(&self) -> Vec<(char, Vec<&'a GlossaryTerm>)> {
        let mut terms: Vec<&GlossaryTerm> = self.content.glossary.iter().collect();
        terms.sort_by_key(|t| t.term.to_lowercase());
        let mut groups: Vec<(char, Vec<&GlossaryTerm>)> = Vec::new();
        for term in terms {
            let letter = term
                .term
                .chars()
                .next()
                .map_or('#', |c| c.to_ascii_uppercase());
            match groups.last_mut() {
                Some((last, group)) if *last == letter => group.push(term),
                _ => groups.push((letter, vec![term])),
            }
        }
        groups
    }
}

/// The age range of a measure in words, e.g. "2 to 24 months".
pub(crate) fn age_range(measure: &Measure) -> String {
    let months = |m: u32| {
        if m == 1 {
            "1 month".to_owned()
        } else {
            format!("{m} months")
        }
    };
    let range = if measure.age_min_months == measure.age_max_months {
        months(measure.age_min_months)
    } else {
        format!(
            "{} to {}",
            measure.age_min_months,
            months(measure.age_max_months)
        )
    };
    if measure.prenatal {
        format!("pregnancy, and {range}")
    } else {
        range
    }
}

/// Ids in URLs are the content's stable ids; anything else is a 404.
fn find<T>(found: Option<&T>) -> Result<&T, AppError> {
    found.ok_or(AppError::NotFound)
}

/// Declares a template struct holding the layout, the view and named fields.
macro_rules! library_page {
    ($name:ident, $path:literal $(, $field:ident : $ty:ty)*) => {
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            layout: Layout,
            v: View<'a>,
            $($field: $ty,)*
        }
    };
}

library_page!(ToolkitPage, "library/toolkit.html");
library_page!(WhyPage, "library/why.html", themes: &'static [FactTheme]);
library_page!(SharedPage, "library/shared.html", tiers: &'static [Tier]);
library_page!(FrameworkPage, "library/framework.html", dimensions: &'static [Dimension], domains: &'static [Domain], stages: &'static [Stage]);
library_page!(StagePage, "library/stage.html", stage: Stage, dimensions: &'static [Dimension], domains: &'static [Domain]);
library_page!(ElementPage, "library/element.html", element: &'a Element, stages: &'static [Stage]);
library_page!(EcologyPage, "library/ecology.html", levels: &'static [EcoLevel], kinds: &'static [FactorKind]);
library_page!(FactorPage, "library/factor.html", factor: &'a Factor);
library_page!(ScenarioPage, "library/scenario.html", scenario: &'a Scenario);
library_page!(CaseStudyPage, "library/case_study.html", case_study: &'a CaseStudy);
library_page!(WholeSystemPage, "library/whole_system.html");
library_page!(CharacteristicPage, "library/characteristic.html", characteristic: &'a Characteristic);
library_page!(WorkforcePage, "library/workforce.html");
library_page!(CompetencyPage, "library/competency.html", competency: &'a Competency);
library_page!(
    MeasuresPage,
    "library/measures.html",
    errors: FormErrors,
    form: SubmittedQuery,
    age_hint: String,
    purposes: CheckboxGroup,
    completers: CheckboxGroup,
    focus: CheckboxGroup,
    element_groups: Vec<CheckboxGroup>,
    elements_chosen: bool,
    licences: CheckboxGroup,
    training: CheckboxGroup,
    results: Option<Vec<&'a Measure>>,
    total: usize,
    filtered: bool
);
library_page!(
    MeasuresComparePage,
    "library/measures_compare.html",
    errors: FormErrors,
    chosen: Vec<&'a Measure>,
    picker: CheckboxGroup,
    compare_max: usize
);
library_page!(MeasurePage, "library/measure.html", measure: &'a Measure);
library_page!(IndicatorPage, "library/indicator.html", indicator: &'a Indicator);
library_page!(GlossaryPage, "library/glossary.html");
library_page!(TermPage, "library/term.html", term: &'a GlossaryTerm);
library_page!(SourcesPage, "library/sources.html");

type Page = Result<Html<String>, AppError>;

pub(crate) async fn toolkit(State(state): State<AppState>) -> Page {
    render(&ToolkitPage {
        layout: Layout::new("The toolkit", "/toolkit"),
        v: View::new(&state.library, None),
    })
}

pub(crate) async fn why(State(state): State<AppState>) -> Page {
    render(&WhyPage {
        layout: Layout::new("Why it matters", "/toolkit"),
        v: View::new(&state.library, None),
        themes: FactTheme::ALL,
    })
}

pub(crate) async fn shared(State(state): State<AppState>) -> Page {
    render(&SharedPage {
        layout: Layout::new("A shared understanding", "/toolkit"),
        v: View::new(&state.library, None),
        tiers: Tier::ALL,
    })
}

pub(crate) async fn framework(State(state): State<AppState>) -> Page {
    render(&FrameworkPage {
        layout: Layout::new("Being and becoming mentally healthy", "/toolkit"),
        v: View::new(&state.library, None),
        dimensions: Dimension::ALL,
        domains: Domain::ALL,
        stages: Stage::ALL,
    })
}

pub(crate) async fn stage(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let stage: Stage = id.parse().map_err(|_| AppError::NotFound)?;
    render(&StagePage {
        layout: Layout::new(format!("The framework at {}", stage.label()), "/toolkit"),
        v: View::new(&state.library, None),
        stage,
        dimensions: Dimension::ALL,
        domains: Domain::ALL,
    })
}

pub(crate) async fn element(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let element = find(state.library.content.elements.by_id(&id))?;
    render(&ElementPage {
        layout: Layout::new(element.title.clone(), "/toolkit"),
        v: View::new(&state.library, None),
        element,
        stages: Stage::ALL,
    })
}

pub(crate) async fn ecology(State(state): State<AppState>) -> Page {
    render(&EcologyPage {
        layout: Layout::new("What shapes a baby's mental health", "/toolkit"),
        v: View::new(&state.library, None),
        levels: EcoLevel::ALL,
        kinds: FactorKind::ALL,
    })
}

pub(crate) async fn factor(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let factor = find(state.library.content.factors.by_id(&id))?;
    render(&FactorPage {
        layout: Layout::new(factor.name.clone(), "/toolkit"),
        v: View::new(&state.library, None),
        factor,
    })
}

pub(crate) async fn scenario(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let scenario = find(state.library.content.scenarios.by_id(&id))?;
    render(&ScenarioPage {
        layout: Layout::new(scenario.title.clone(), "/toolkit"),
        v: View::new(&state.library, None),
        scenario,
    })
}

pub(crate) async fn case_study(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let case_study = find(state.library.content.case_studies.by_id(&id))?;
    render(&CaseStudyPage {
        layout: Layout::new(case_study.title.clone(), "/toolkit"),
        v: View::new(&state.library, None),
        case_study,
    })
}

pub(crate) async fn whole_system(State(state): State<AppState>) -> Page {
    render(&WholeSystemPage {
        layout: Layout::new("A whole-system approach", "/toolkit"),
        v: View::new(&state.library, None),
    })
}

pub(crate) async fn characteristic(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let characteristic = find(state.library.content.characteristics.by_id(&id))?;
    render(&CharacteristicPage {
        layout: Layout::new(characteristic.title.clone(), "/toolkit"),
        v: View::new(&state.library, None),
        characteristic,
    })
}

pub(crate) async fn workforce(State(state): State<AppState>) -> Page {
    render(&WorkforcePage {
        layout: Layout::new("The workforce", "/toolkit"),
        v: View::new(&state.library, None),
    })
}

pub(crate) async fn competency(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let competency = find(state.library.content.competencies.by_id(&id))?;
    render(&CompetencyPage {
        layout: Layout::new("Workforce competency", "/toolkit"),
        v: View::new(&state.library, None),
        competency,
    })
}

pub(crate) async fn measure(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let measure = find(state.library.content.measures.by_id(&id))?;
    render(&MeasurePage {
        layout: Layout::new(
            format!("{} – {}", measure.acronym, measure.name),
            "/toolkit",
        ),
        v: View::new(&state.library, None),
        measure,
    })
}

pub(crate) async fn indicator(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let indicator = find(state.library.content.indicators.by_id(&id))?;
    render(&IndicatorPage {
        layout: Layout::new(indicator.name.clone(), "/toolkit"),
        v: View::new(&state.library, None),
        indicator,
    })
}

pub(crate) async fn glossary(State(state): State<AppState>) -> Page {
    render(&GlossaryPage {
        layout: Layout::new("Glossary", "/glossary"),
        v: View::new(&state.library, None),
    })
}

pub(crate) async fn term(State(state): State<AppState>, Path(id): Path<String>) -> Page {
    let term = find(state.library.content.glossary.by_id(&id))?;
    render(&TermPage {
        layout: Layout::new(term.term.clone(), "/glossary"),
        v: View::new(&state.library, Some(&term.id)),
        term,
    })
}

pub(crate) async fn sources(State(state): State<AppState>) -> Page {
    render(&SourcesPage {
        layout: Layout::new("Sources", "/toolkit"),
        v: View::new(&state.library, None),
    })
}

/// Every library page, for the page inventory: each part, then each item.
fn page_list(content: &Content) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = [
        ("/toolkit", "The toolkit"),
        ("/toolkit/why-it-matters", "Why it matters"),
        ("/toolkit/shared-understanding", "A shared understanding"),
        ("/toolkit/framework", "Being and becoming mentally healthy"),
        (
            "/toolkit/socio-ecological-model",
            "What shapes a baby's mental health",
        ),
        ("/toolkit/whole-system", "A whole-system approach"),
        ("/toolkit/workforce", "The workforce"),
        ("/toolkit/measures", "Measures and indicators"),
        ("/toolkit/sources", "Sources"),
        ("/glossary", "Glossary"),
    ]
    .into_iter()
    .map(|(path, title)| (path.to_owned(), title.to_owned()))
    .collect();
    let items = |prefix: &str, ids: Vec<(&str, String)>| -> Vec<(String, String)> {
        ids.into_iter()
            .map(|(id, title)| (format!("{prefix}/{id}"), title))
            .collect()
    };
    pages.extend(
        cradle_diagrams::all(content)
            .into_iter()
            .map(|d| (format!("/toolkit/diagrams/{}", d.id), d.title)),
    );
    pages.extend(Stage::ALL.iter().map(|s| {
        (
            format!("/toolkit/framework/stages/{}", s.id()),
            format!("The framework at {}", s.label()),
        )
    }));
    pages.extend(items(
        "/toolkit/framework",
        content
            .elements
            .iter()
            .map(|e| (e.id.as_str(), e.title.clone()))
            .collect(),
    ));
    pages.extend(items(
        "/toolkit/factors",
        content
            .factors
            .iter()
            .map(|f| (f.id.as_str(), f.name.clone()))
            .collect(),
    ));
    pages.extend(items(
        "/toolkit/scenarios",
        content
            .scenarios
            .iter()
            .map(|s| (s.id.as_str(), s.title.clone()))
            .collect(),
    ));
    pages.extend(items(
        "/toolkit/case-studies",
        content
            .case_studies
            .iter()
            .map(|c| (c.id.as_str(), c.title.clone()))
            .collect(),
    ));
    pages.extend(items(
        "/toolkit/whole-system",
        content
            .characteristics
            .iter()
            .map(|c| (c.id.as_str(), c.title.clone()))
            .collect(),
    ));
    pages.extend(items(
        "/toolkit/workforce",
        content
            .competencies
            .iter()
            .map(|c| (c.id.as_str(), "Workforce competency".to_owned()))
            .collect(),
    ));
    pages.extend(items(
        "/toolkit/measures",
        content
            .measures
            .iter()
            .map(|m| (m.id.as_str(), format!("{} – {}", m.acronym, m.name)))
            .collect(),
    ));
    pages.extend(items(
        "/toolkit/indicators",
        content
            .indicators
            .iter()
            .map(|i| (i.id.as_str(), i.name.clone()))
            .collect(),
    ));
    pages.extend(items(
        "/glossary",
        content
            .glossary
            .iter()
            .map(|t| (t.id.as_str(), t.term.clone()))
            .collect(),
    ));
    pages
}

/// Every toolkit and glossary page, with the measures filter used well and badly and one
/// comparison of measures.
pub(crate) fn inventory(content: &Content) -> Vec<InventoryPage> {
    let mut pages = vec![
        InventoryPage::new(
            "/toolkit/measures?age=9&purpose=screening&completer=parent",
            "Measures and indicators",
        ),
        InventoryPage::new(
            "/toolkit/measures?age=nine",
            "Error: Measures and indicators",
        )
        .status(400),
    ];
    pages.extend(
        page_list(content)
            .into_iter()
            .map(|(path, title)| InventoryPage::new(path, title)),
    );
    let (compare_path, compare_title) = compare_example(content);
    pages.push(InventoryPage::new(compare_path, compare_title));
    pages
}
