//! The MQA indicators, their dimensions and points, and the rating bands, exactly as data.europa.eu's
//! Metadata Quality Assessment defines them (5 dimensions, 23 indicators, 405 points).

use serde::Serialize;

/// One of the five MQA dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Can it be found (keywords, themes, space, time)? Max 100.
    Findability,
    /// Can it be reached (access and download URLs)? Max 100.
    Accessibility,
    /// Can it be used with other data (formats, media types, DCAT-AP)? Max 110.
    Interoperability,
    /// May it be reused, and on which terms (licence, access rights, contact, publisher)? Max 75.
    Reusability,
    /// What context does it give (rights, size, dates)? Max 20.
    Contextuality,
}

impl Dimension {
    /// The five, in the MQA's order.
    pub const ALL: [Self; 5] = [
        Self::Findability,
        Self::Accessibility,
        Self::Interoperability,
        Self::Reusability,
        Self::Contextuality,
    ];

    /// Its id (the local name of its IRI in `vocab/quality.ttl`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Findability => "findability",
            Self::Accessibility => "accessibility",
            Self::Interoperability => "interoperability",
            Self::Reusability => "reusability",
            Self::Contextuality => "contextuality",
        }
    }

    /// Its position in [`Dimension::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The most points it gives.
    pub fn max(self) -> u32 {
        INDICATORS.iter().filter(|i| i.dimension == self).map(|i| i.points).sum()
    }

    /// Its name in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Findability => "Khả năng tìm thấy",
            Self::Accessibility => "Khả năng truy cập",
            Self::Interoperability => "Khả năng liên thông",
            Self::Reusability => "Khả năng tái sử dụng",
            Self::Contextuality => "Thông tin ngữ cảnh",
        }
    }

    /// Its name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Findability => "Findability",
            Self::Accessibility => "Accessibility",
            Self::Interoperability => "Interoperability",
            Self::Reusability => "Reusability",
            Self::Contextuality => "Contextuality",
        }
    }
}

/// Where an indicator looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A property of the dataset: all points or none.
    Dataset,
    /// A property of each distribution: the points times the share of distributions that pass
    /// (rounded to the nearest point); no distribution, no points.
    Distribution,
}

/// One MQA indicator.
#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    /// Its id (the local name of its metric IRI in `vocab/quality.ttl`).
    pub id: &'static str,
    /// Its dimension.
    pub dimension: Dimension,
    /// The points it gives.
    pub points: u32,
    /// Dataset or distribution level.
    pub level: Level,
    /// Whether it needs a link check (unknown until the URL was checked).
    pub needs_link_check: bool,
    /// The property it checks, as a CURIE.
    pub property: &'static str,
    /// Its name in Vietnamese.
    pub label_vi: &'static str,
    /// Its name in English.
    pub label_en: &'static str,
    /// What to do to earn its points, in Vietnamese.
    pub fix_vi: &'static str,
    /// What to do to earn its points, in English.
    pub fix_en: &'static str,
}

macro_rules! indicator {
    ($id:literal, $dim:ident, $points:literal, $level:ident, $link:literal, $prop:literal,
     $vi:literal, $en:literal, $fix_vi:literal, $fix_en:literal) => {
        Indicator {
            id: $id,
            dimension: Dimension::$dim,
            points: $points,
            level: Level::$level,
            needs_link_check: $link,
            property: $prop,
            label_vi: $vi,
            label_en: $en,
            fix_vi: $fix_vi,
            fix_en: $fix_en,
        }
    };
}

/// How many indicators there are.
pub const COUNT: usize = 23;

/// The most points a dataset can earn.
pub const MAX_POINTS: u32 = 405;

/// The 23 indicators, in the MQA's order (`catalog-anchors.md` §2).
pub const INDICATORS: [Indicator; COUNT] = [
    indicator!(
        "keywordUsage",
        Findability,
        30,
        Dataset,
        false,
        "dcat:keyword",
        "Từ khóa",
        "Keyword usage",
        "Thêm từ khóa (dcat:keyword) mô tả tập dữ liệu.",
        "Add keywords (dcat:keyword) that describe the dataset."
    ),
    indicator!(
        "categories",
        Findability,
        30,
        Dataset,
        false,
        "dcat:theme",
        "Chủ đề",
        "Categories",
        "Gắn ít nhất một chủ đề (dcat:theme), ví dụ từ bảng chủ đề dữ liệu của EU.",
        "Give at least one theme (dcat:theme), e.g. from the EU data-theme table."
    ),
    indicator!(
        "geoSearch",
        Findability,
        20,
        Dataset,
        false,
        "dct:spatial",
        "Phạm vi không gian",
        "Geo search",
        "Nêu phạm vi không gian (dct:spatial) của dữ liệu.",
        "State the spatial coverage (dct:spatial)."
    ),
    indicator!(
        "timeBasedSearch",
        Findability,
        20,
        Dataset,
        false,
        "dct:temporal",
        "Phạm vi thời gian",
        "Time-based search",
        "Nêu khoảng thời gian dữ liệu bao phủ (dct:temporal).",
        "State the period the data covers (dct:temporal)."
    ),
    indicator!(
        "accessUrlAccessibility",
        Accessibility,
        50,
        Distribution,
        true,
        "dcat:accessURL",
        "Địa chỉ truy cập hoạt động",
        "AccessURL accessibility",
        "Sửa các địa chỉ truy cập (dcat:accessURL) không trả lời hoặc trả lời lỗi.",
        "Fix access URLs (dcat:accessURL) that do not answer or answer with an error."
    ),
    indicator!(
        "downloadUrl",
        Accessibility,
        20,
        Distribution,
        false,
        "dcat:downloadURL",
        "Có địa chỉ tải xuống",
        "DownloadURL",
        "Thêm địa chỉ tải trực tiếp (dcat:downloadURL) cho mỗi bản phân phối.",
        "Give each distribution a direct download URL (dcat:downloadURL)."
    ),
    indicator!(
        "downloadUrlAccessibility",
        Accessibility,
        30,
        Distribution,
        true,
        "dcat:downloadURL",
        "Địa chỉ tải xuống hoạt động",
        "DownloadURL accessibility",
        "Sửa các địa chỉ tải xuống (dcat:downloadURL) không trả lời hoặc trả lời lỗi.",
        "Fix download URLs (dcat:downloadURL) that do not answer or answer with an error."
    ),
    indicator!(
        "format",
        Interoperability,
        20,
        Distribution,
        false,
        "dct:format",
        "Định dạng",
        "Format",
        "Nêu định dạng tệp (dct:format) của mỗi bản phân phối.",
        "State the file format (dct:format) of each distribution."
    ),
    indicator!(
        "mediaType",
        Interoperability,
        10,
        Distribution,
        false,
        "dcat:mediaType",
        "Kiểu phương tiện",
        "Media type",
        "Nêu kiểu phương tiện IANA (dcat:mediaType) của mỗi bản phân phối.",
        "State the IANA media type (dcat:mediaType) of each distribution."
    ),
    indicator!(
        "formatMediaTypeVocabulary",
        Interoperability,
        10,
        Distribution,
        false,
        "dct:format, dcat:mediaType",
        "Định dạng theo danh mục chuẩn",
        "Format / media type from vocabulary",
        "Dùng định dạng từ bảng file-type của EU hoặc kiểu phương tiện IANA.",
        "Use a format from the EU file-type table or an IANA media type."
    ),
    indicator!(
        "nonProprietary",
        Interoperability,
        20,
        Distribution,
        false,
        "dct:format, dcat:mediaType",
        "Định dạng mở",
        "Non-proprietary",
        "Cung cấp dữ liệu ở định dạng mở (CSV, JSON, XML, RDF, ODS…).",
        "Offer the data in an open format (CSV, JSON, XML, RDF, ODS…)."
    ),
    indicator!(
        "machineReadable",
        Interoperability,
        20,
        Distribution,
        false,
        "dct:format, dcat:mediaType",
        "Máy đọc được",
        "Machine readable",
        "Cung cấp dữ liệu ở định dạng máy đọc được (CSV, JSON, XML, XLSX…), không chỉ PDF hay ảnh.",
        "Offer the data in a machine-readable format (CSV, JSON, XML, XLSX…), not only PDF or images."
    ),
    indicator!(
        "dcatApCompliance",
        Interoperability,
        30,
        Dataset,
        false,
        "SHACL (DCAT-AP-VN)",
        "Tuân thủ DCAT-AP",
        "DCAT-AP compliance",
        "Sửa các vi phạm hồ sơ DCAT-AP-VN trong báo cáo kiểm tra.",
        "Fix the DCAT-AP-VN violations listed in the validation report."
    ),
    indicator!(
        "licence",
        Reusability,
        20,
        Distribution,
        false,
        "dct:license",
        "Giấy phép",
        "Licence information",
        "Gắn giấy phép (dct:license) cho mỗi bản phân phối.",
        "Give each distribution a licence (dct:license)."
    ),
    indicator!(
        "licenceVocabulary",
        Reusability,
        10,
        Distribution,
        false,
        "dct:license",
        "Giấy phép theo danh mục",
        "Licence vocabulary",
        "Dùng một giấy phép trong danh mục giấy phép của danhmuc.",
        "Use a licence from danhmuc's licence list."
    ),
    indicator!(
        "accessRestrictions",
        Reusability,
        10,
        Dataset,
        false,
        "dct:accessRights",
        "Quyền truy cập",
        "Access restrictions",
        "Nêu quyền truy cập (dct:accessRights) của tập dữ liệu.",
        "State the dataset's access rights (dct:accessRights)."
    ),
    indicator!(
        "accessRestrictionsVocabulary",
        Reusability,
        5,
        Dataset,
        false,
        "dct:accessRights",
        "Quyền truy cập theo danh mục",
        "Access restrictions vocabulary",
        "Dùng giá trị từ bảng access-right của EU (PUBLIC, RESTRICTED, NON_PUBLIC).",
        "Use a value of the EU access-right table (PUBLIC, RESTRICTED, NON_PUBLIC)."
    ),
    indicator!(
        "contactPoint",
        Reusability,
        20,
        Dataset,
        false,
        "dcat:contactPoint",
        "Đầu mối liên hệ",
        "Contact point",
        "Thêm đầu mối liên hệ (dcat:contactPoint).",
        "Add a contact point (dcat:contactPoint)."
    ),
    indicator!(
        "publisher",
        Reusability,
        10,
        Dataset,
        false,
        "dct:publisher",
        "Đơn vị công bố",
        "Publisher",
        "Nêu đơn vị công bố (dct:publisher).",
        "Name the publisher (dct:publisher)."
    ),
    indicator!(
        "rights",
        Contextuality,
        5,
        Distribution,
        false,
        "dct:rights",
        "Quyền",
        "Rights",
        "Nêu tuyên bố quyền (dct:rights) cho mỗi bản phân phối.",
        "Give each distribution a rights statement (dct:rights)."
    ),
    indicator!(
        "byteSize",
        Contextuality,
        5,
        Distribution,
        false,
        "dcat:byteSize",
        "Kích thước tệp",
        "File size",
        "Nêu kích thước tệp (dcat:byteSize) của mỗi bản phân phối.",
        "State each distribution's size in bytes (dcat:byteSize)."
    ),
    indicator!(
        "dateOfIssue",
        Contextuality,
        5,
        Dataset,
        false,
        "dct:issued",
        "Ngày phát hành",
        "Date of issue",
        "Nêu ngày phát hành (dct:issued).",
        "State the date of issue (dct:issued)."
    ),
    indicator!(
        "modificationDate",
        Contextuality,
        5,
        Dataset,
        false,
        "dct:modified",
        "Ngày cập nhật",
        "Modification date",
        "Nêu ngày cập nhật gần nhất (dct:modified).",
        "State the date of the last change (dct:modified)."
    ),
];

/// The position of an indicator by id.
pub fn index_of(id: &str) -> Option<usize> {
    INDICATORS.iter().position(|i| i.id == id)
}

/// The MQA rating bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// 0–120.
    Bad,
    /// 121–220.
    Sufficient,
    /// 221–350.
    Good,
    /// 351–405.
    Excellent,
}

impl Rating {
    /// Best first.
    pub const ALL: [Self; 4] = [Self::Excellent, Self::Good, Self::Sufficient, Self::Bad];

    /// The band of a score.
    pub fn of(points: u32) -> Self {
        match points {
            351.. => Self::Excellent,
            221..=350 => Self::Good,
            121..=220 => Self::Sufficient,
            _ => Self::Bad,
        }
    }

    /// Its id (`excellent`…).
    pub fn id(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Good => "good",
            Self::Sufficient => "sufficient",
            Self::Bad => "bad",
        }
    }

    /// Reads an id.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.id() == text)
    }

    /// Its name in Vietnamese.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Excellent => "Xuất sắc",
            Self::Good => "Tốt",
            Self::Sufficient => "Đạt",
            Self::Bad => "Kém",
        }
    }

    /// Its name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Excellent => "Excellent",
            Self::Good => "Good",
            Self::Sufficient => "Sufficient",
            Self::Bad => "Bad",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_points_are_data_europa_eus() {
        let maxima: Vec<u32> = Dimension::ALL.iter().map(|d| d.max()).collect();
        assert_eq!(maxima, [100, 100, 110, 75, 20]);
        assert_eq!(INDICATORS.iter().map(|i| i.points).sum::<u32>(), MAX_POINTS);
        let mut ids: Vec<&str> = INDICATORS.iter().map(|i| i.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), COUNT);
    }

    #[test]
    fn the_rating_bands() {
        for (points, rating) in [
            (0, Rating::Bad),
            (120, Rating::Bad),
            (121, Rating::Sufficient),
            (220, Rating::Sufficient),
            (221, Rating::Good),
            (350, Rating::Good),
            (351, Rating::Excellent),
            (405, Rating::Excellent),
        ] {
            assert_eq!(Rating::of(points), rating, "{points}");
        }
    }
}
