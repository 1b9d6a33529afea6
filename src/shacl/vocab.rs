//! Vocabulary constants: the `sh:` namespace ([SHACL §1.4](https://www.w3.org/TR/shacl/#terminology))
//! plus the few `rdf:`, `rdfs:`, `owl:` and `xsd:` terms the engine needs.

use oxigraph::model::NamedNodeRef;

macro_rules! iris {
    ($ns:literal; $($name:ident = $local:literal),* $(,)?) => {
        $(
            #[doc = concat!("`<", $ns, $local, ">`")]
            pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));
        )*
    };
}

/// The SHACL namespace `http://www.w3.org/ns/shacl#`.
pub mod sh {
    use super::NamedNodeRef;

    /// The namespace IRI.
    pub const NAMESPACE: &str = "http://www.w3.org/ns/shacl#";

    iris! { "http://www.w3.org/ns/shacl#";
        // classes
        NODE_SHAPE = "NodeShape",
        PROPERTY_SHAPE = "PropertyShape",
        SHAPE = "Shape",
        VALIDATION_REPORT = "ValidationReport",
        VALIDATION_RESULT = "ValidationResult",
        CONSTRAINT_COMPONENT = "ConstraintComponent",
        // report vocabulary
        CONFORMS = "conforms",
        RESULT = "result",
        FOCUS_NODE = "focusNode",
        RESULT_PATH = "resultPath",
        VALUE = "value",
        SOURCE_SHAPE = "sourceShape",
        SOURCE_CONSTRAINT = "sourceConstraint",
        SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
        RESULT_SEVERITY = "resultSeverity",
        RESULT_MESSAGE = "resultMessage",
        DETAIL = "detail",
        // severities
        VIOLATION = "Violation",
        WARNING = "Warning",
        INFO = "Info",
        // shape properties
        TARGET_NODE = "targetNode",
        TARGET_CLASS = "targetClass",
        TARGET_SUBJECTS_OF = "targetSubjectsOf",
        TARGET_OBJECTS_OF = "targetObjectsOf",
        SEVERITY = "severity",
        MESSAGE = "message",
        DEACTIVATED = "deactivated",
        PATH = "path",
        INVERSE_PATH = "inversePath",
        ALTERNATIVE_PATH = "alternativePath",
        ZERO_OR_MORE_PATH = "zeroOrMorePath",
        ONE_OR_MORE_PATH = "oneOrMorePath",
        ZERO_OR_ONE_PATH = "zeroOrOnePath",
        // core constraint parameters
        CLASS = "class",
        DATATYPE = "datatype",
        NODE_KIND = "nodeKind",
        MIN_COUNT = "minCount",
        MAX_COUNT = "maxCount",
        MIN_EXCLUSIVE = "minExclusive",
        MIN_INCLUSIVE = "minInclusive",
        MAX_EXCLUSIVE = "maxExclusive",
        MAX_INCLUSIVE = "maxInclusive",
        MIN_LENGTH = "minLength",
        MAX_LENGTH = "maxLength",
        PATTERN = "pattern",
        FLAGS = "flags",
        LANGUAGE_IN = "languageIn",
        UNIQUE_LANG = "uniqueLang",
        EQUALS = "equals",
        DISJOINT = "disjoint",
        LESS_THAN = "lessThan",
        LESS_THAN_OR_EQUALS = "lessThanOrEquals",
        NOT = "not",
        AND = "and",
        OR = "or",
        XONE = "xone",
        NODE = "node",
        PROPERTY = "property",
        QUALIFIED_VALUE_SHAPE = "qualifiedValueShape",
        QUALIFIED_MIN_COUNT = "qualifiedMinCount",
        QUALIFIED_MAX_COUNT = "qualifiedMaxCount",
        QUALIFIED_VALUE_SHAPES_DISJOINT = "qualifiedValueShapesDisjoint",
        CLOSED = "closed",
        IGNORED_PROPERTIES = "ignoredProperties",
        HAS_VALUE = "hasValue",
        IN = "in",
        // node kinds
        BLANK_NODE = "BlankNode",
        IRI = "IRI",
        LITERAL = "Literal",
        BLANK_NODE_OR_IRI = "BlankNodeOrIRI",
        BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral",
        IRI_OR_LITERAL = "IRIOrLiteral",
        // components
        CLASS_CONSTRAINT_COMPONENT = "ClassConstraintComponent",
        DATATYPE_CONSTRAINT_COMPONENT = "DatatypeConstraintComponent",
        NODE_KIND_CONSTRAINT_COMPONENT = "NodeKindConstraintComponent",
        MIN_COUNT_CONSTRAINT_COMPONENT = "MinCountConstraintComponent",
        MAX_COUNT_CONSTRAINT_COMPONENT = "MaxCountConstraintComponent",
        MIN_EXCLUSIVE_CONSTRAINT_COMPONENT = "MinExclusiveConstraintComponent",
        MIN_INCLUSIVE_CONSTRAINT_COMPONENT = "MinInclusiveConstraintComponent",
        MAX_EXCLUSIVE_CONSTRAINT_COMPONENT = "MaxExclusiveConstraintComponent",
        MAX_INCLUSIVE_CONSTRAINT_COMPONENT = "MaxInclusiveConstraintComponent",
        MIN_LENGTH_CONSTRAINT_COMPONENT = "MinLengthConstraintComponent",
        MAX_LENGTH_CONSTRAINT_COMPONENT = "MaxLengthConstraintComponent",
        PATTERN_CONSTRAINT_COMPONENT = "PatternConstraintComponent",
        LANGUAGE_IN_CONSTRAINT_COMPONENT = "LanguageInConstraintComponent",
        UNIQUE_LANG_CONSTRAINT_COMPONENT = "UniqueLangConstraintComponent",
        EQUALS_CONSTRAINT_COMPONENT = "EqualsConstraintComponent",
        DISJOINT_CONSTRAINT_COMPONENT = "DisjointConstraintComponent",
        LESS_THAN_CONSTRAINT_COMPONENT = "LessThanConstraintComponent",
        LESS_THAN_OR_EQUALS_CONSTRAINT_COMPONENT = "LessThanOrEqualsConstraintComponent",
        NOT_CONSTRAINT_COMPONENT = "NotConstraintComponent",
        AND_CONSTRAINT_COMPONENT = "AndConstraintComponent",
        OR_CONSTRAINT_COMPONENT = "OrConstraintComponent",
        XONE_CONSTRAINT_COMPONENT = "XoneConstraintComponent",
        NODE_CONSTRAINT_COMPONENT = "NodeConstraintComponent",
        PROPERTY_CONSTRAINT_COMPONENT = "PropertyConstraintComponent",
        QUALIFIED_MIN_COUNT_CONSTRAINT_COMPONENT = "QualifiedMinCountConstraintComponent",
        QUALIFIED_MAX_COUNT_CONSTRAINT_COMPONENT = "QualifiedMaxCountConstraintComponent",
        CLOSED_CONSTRAINT_COMPONENT = "ClosedConstraintComponent",
        HAS_VALUE_CONSTRAINT_COMPONENT = "HasValueConstraintComponent",
        IN_CONSTRAINT_COMPONENT = "InConstraintComponent",
        SPARQL_CONSTRAINT_COMPONENT = "SPARQLConstraintComponent",
        // SHACL-SPARQL
        SPARQL = "sparql",
        SELECT = "select",
        ASK = "ask",
        PREFIXES = "prefixes",
        DECLARE = "declare",
        PREFIX = "prefix",
        NAMESPACE_PROP = "namespace",
        PARAMETER = "parameter",
        OPTIONAL = "optional",
        VALIDATOR = "validator",
        NODE_VALIDATOR = "nodeValidator",
        PROPERTY_VALIDATOR = "propertyValidator",
    }
}

/// `rdf:` terms.
pub mod rdf {
    use super::NamedNodeRef;
    iris! { "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        TYPE = "type",
        FIRST = "first",
        REST = "rest",
        NIL = "nil",
        LANG_STRING = "langString",
    }
}

/// `rdfs:` terms.
pub mod rdfs {
    use super::NamedNodeRef;
    iris! { "http://www.w3.org/2000/01/rdf-schema#";
        SUB_CLASS_OF = "subClassOf",
        CLASS = "Class",
    }
}

/// `owl:` terms.
pub mod owl {
    use super::NamedNodeRef;
    iris! { "http://www.w3.org/2002/07/owl#";
        IMPORTS = "imports",
    }
}

/// `xsd:` terms.
pub mod xsd {
    use super::NamedNodeRef;
    iris! { "http://www.w3.org/2001/XMLSchema#";
        BOOLEAN = "boolean",
        INTEGER = "integer",
        STRING = "string",
    }
}
