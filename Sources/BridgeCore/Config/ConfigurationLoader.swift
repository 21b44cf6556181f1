import Foundation

/// Reads `Config/` and `Dialogs/` into a `BridgeConfiguration`, reporting every problem with file and line.
///
/// Loading never stops at the first problem: operators fix files faster when they see them all.
public struct ConfigurationLoader {
    public static let defaultPath = "Config/smsbridge.yaml"

    var diagnostics = Diagnostics()
    var dialogs: [String: Dialog?] = [:]
    /// Line of each step's `after_retries`, keyed by dialog display path and step id: `choose <id>` is checked per deployment.
    var afterRetriesLines: [String: Int] = [:]
    private var categoryFiles: [String: [Category]?] = [:]
    private var landmarkFiles: [String: [Landmark]?] = [:]
    /// Line of each landmark, keyed by display path and id, for checks made per deployment.
    private var landmarkLines: [String: Int] = [:]

    public init() {}

    /// Loads the configuration at `path`; the result is nil only when nothing usable was found.
    public static func load(_ path: String = defaultPath) -> (configuration: BridgeConfiguration?, diagnostics: Diagnostics) {
        var loader = ConfigurationLoader()
        let configuration = loader.loadMain(path)
        return (configuration, loader.diagnostics)
    }

    /// Loads and validates; throws every diagnostic when anything is wrong, as start-up must.
    public static func loadValidated(_ path: String = defaultPath) throws(ConfigurationError) -> BridgeConfiguration {
        let (configuration, diagnostics) = load(path)
        var all = diagnostics
        if let configuration { all.append(contentsOf: ConfigurationValidator.validate(configuration).diagnostics) }
        guard all.isEmpty, let configuration else { throw ConfigurationError(all.sorted) }
        return configuration
    }

    mutating func loadMain(_ path: String) -> BridgeConfiguration? {
        let file = YAMLFile.load(path, into: &diagnostics)
        guard let root = file.root else { return nil }
        root.checkKeys(["deployments", "server"], in: "the bridge configuration", &diagnostics)
        let server = parseServer(root["server"], file: file.path)
        guard let list = root["deployments"]?.sequence, !list.isEmpty else {
            diagnostics.report(file.path, root.line, "'deployments' must list at least one deployment file")
            return nil
        }
        var deployments: [Deployment] = []
        for item in list {
            guard let relative = item.string else {
                diagnostics.report(file.path, item.line, "each deployment is the path of a file, e.g. deployments/prishtina.yaml")
                continue
            }
            if let deployment = loadDeployment(resolve(relative, from: path), referencedFrom: (file.path, item.line)) {
                if deployments.contains(where: { $0.id == deployment.id }) {
                    diagnostics.report(file.path, item.line, "deployment id '\(deployment.id)' is used twice")
                } else {
                    deployments.append(deployment)
                }
            }
        }
        var seenGateways: [String: String] = [:]
        for gateway in deployments.flatMap(\.gateways) {
            if let other = seenGateways[gateway.id] {
                diagnostics.report(gateway.file, gateway.line, "gateway id '\(gateway.id)' is also used in \(other): gateway ids must be unique (they are URL paths)")
            }
            seenGateways[gateway.id] = gateway.file
        }
        return deployments.isEmpty ? nil : BridgeConfiguration(file: file.path, deployments: deployments, server: server)
    }

    private func resolve(_ relative: String, from file: String) -> String {
        if relative.hasPrefix("/") { return relative }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        return directory.appendingPathComponent(relative).standardizedFileURL.path
    }

    func dialogCache(_ path: String) -> Dialog?? { dialogs[path] }
    mutating func storeDialog(_ dialog: Dialog?, for path: String) { dialogs[path] = .some(dialog) }

    // MARK: Deployment

    mutating func loadDeployment(_ path: String, referencedFrom: (file: String, line: Int)) -> Deployment? {
        let file = YAMLFile.load(path, into: &diagnostics, referencedFrom: referencedFrom)
        guard let root = file.root else { return nil }
        let what = "a deployment"
        root.checkKeys(
            ["id", "name", "country_codes", "region", "default_language", "languages", "dialog", "categories", "landmarks",
             "gsm_fallback_spelling", "center", "fixmystreet_categories", "platform", "gateways", "sender_limit"], in: what, &diagnostics)
        let id = root.requiredString("id", in: what, &diagnostics)
        let region = root.requiredString("region", in: what, &diagnostics)
        let defaultLanguage = root.requiredString("default_language", in: what, &diagnostics).map { LanguageTag($0) }
        var countryCodes: [String] = []
        if let value = root["country_codes"] {
            countryCodes = value.stringList(in: "'country_codes'", &diagnostics)
            for code in countryCodes where code.range(of: #"^\+[1-9][0-9]{0,3}$"#, options: .regularExpression) == nil {
                diagnostics.report(file.path, value.line, "country code '\(code)' must look like +383")
            }
        } else {
            diagnostics.report(file.path, root.line, "\(what) needs 'country_codes', e.g. [\"+383\"]")
        }
        var languages: [LanguageTag] = []
        if let value = root["languages"] {
            languages = value.stringList(in: "'languages'", &diagnostics).map { LanguageTag($0) }
        }
        if let defaultLanguage, !languages.contains(defaultLanguage) { languages.insert(defaultLanguage, at: 0) }

        let dialog = root.requiredString("dialog", in: what, &diagnostics).flatMap {
            loadDialog(resolve($0, from: path), referencedFrom: (file.path, root.keyLine("dialog")))
        }
        let categories = root.requiredString("categories", in: what, &diagnostics).flatMap {
            loadCategories(resolve($0, from: path), referencedFrom: (file.path, root.keyLine("categories")))
        }
        let landmarks = root.requiredString("landmarks", in: what, &diagnostics).flatMap {
            loadLandmarks(resolve($0, from: path), referencedFrom: (file.path, root.keyLine("landmarks")))
        }

        if let dialog {
            for language in languages where !dialog.languages.contains(language) {
                diagnostics.report(file.path, root.keyLine("languages"),
                    "language '\(language)' is offered here but \(dialog.file) has no texts for it (its languages: \(dialog.languages.map(\.rawValue).joined(separator: ", ")))")
            }
            for step in dialog.steps {
                if case .choose(let option) = step.afterRetries, step.id == .category, let categories,
                    !categories.contains(where: { $0.id == option })
                {
                    diagnostics.report(dialog.file, afterRetriesLines[dialog.file + "#" + step.id.rawValue] ?? 1, "step '\(step.id.rawValue)': 'after_retries: choose \(option)' names an unknown category (used by \(file.path))")
                }
            }
        }
        if let categories {
            for category in categories {
                for language in languages where category.labels[language] == nil {
                    diagnostics.report(category.file, category.line, "category '\(category.id)' has no label in '\(language)', which \(file.path) offers")
                }
            }
        }
        if let landmarks {
            for landmark in landmarks {
                for language in languages where landmark.names[language] == nil {
                    let landmarksFile = root["landmarks"]?.string.map { YAMLFile.displayPath(resolve($0, from: path)) } ?? file.path
                    let line = landmarkLines[landmarksFile + "#" + landmark.id] ?? root.keyLine("landmarks")
                    diagnostics.report(landmarksFile, line, "landmark '\(landmark.id)' has no name in '\(language)', which \(file.path) offers")
                }
            }
        }

        var fixmystreet: [String: String] = [:]
        if let value = root["fixmystreet_categories"] {
            for entry in value.mapping ?? [] {
                guard let name = entry.value.string, !name.isEmpty else {
                    diagnostics.report(file.path, entry.keyLine, "fixmystreet_categories.\(entry.key) must be a category name")
                    continue
                }
                if let categories, !categories.contains(where: { $0.id == entry.key }) {
                    diagnostics.report(file.path, entry.keyLine, "fixmystreet_categories names an unknown category '\(entry.key)'")
                }
                fixmystreet[entry.key] = name
            }
        }

        var center: Coordinate?
        if let value = root["center"] {
            if let landmarkID = value.string {
                if let landmark = landmarks?.first(where: { $0.id == landmarkID }) {
                    center = Coordinate(latitude: landmark.latitude, longitude: landmark.longitude)
                } else {
                    diagnostics.report(file.path, value.line, "'center' names an unknown landmark '\(landmarkID)'")
                }
            } else if let lat = value["lat"]?.double(in: "center.lat", &diagnostics),
                let lon = value["lon"]?.double(in: "center.lon", &diagnostics)
            {
                center = Coordinate(latitude: lat, longitude: lon)
                if !Self.isValid(lat: lat, lon: lon) {
                    diagnostics.report(file.path, value.line, "'center' must be a real point: lat -90…90, lon -180…180, not 0,0")
                }
            } else {
                diagnostics.report(file.path, value.line, "'center' must be {lat: …, lon: …} or a landmark id")
            }
        } else {
            diagnostics.report(file.path, root.line, "\(what) needs 'center': the point used when a place cannot be found")
        }
        if let center, let landmarks, let landmarksPath = root["landmarks"]?.string {
            let display = YAMLFile.displayPath(resolve(landmarksPath, from: path))
            for landmark in landmarks {
                let point = Coordinate(latitude: landmark.latitude, longitude: landmark.longitude)
                let distance = point.distanceKilometres(to: center)
                if distance > Self.maximumDistanceKilometres {
                    diagnostics.report(display, landmarkLines[display + "#" + landmark.id] ?? 1,
                        "landmark '\(landmark.id)' is \(Int(distance)) km from the centre of \(id ?? "the deployment"): check its coordinates (lat, lon order?)")
                }
            }
        }
        let gsmFallback = root.optionalBool("gsm_fallback_spelling", in: what, &diagnostics) ?? false
        let name = root.optionalString("name", in: what, &diagnostics) ?? id ?? ""

        let gateways = root["gateways"].map { parseGateways($0, deployment: id ?? "", file: file.path) } ?? []
        let platform = root["platform"].flatMap { parsePlatform($0, deployment: id ?? "", categories: categories, file: file.path) }
        let senderLimit = root["sender_limit"].flatMap { parseSenderLimit($0, in: "deployment") }
        guard let id, let region, let defaultLanguage, let dialog, let categories, let landmarks, let center,
            !countryCodes.isEmpty
        else { return nil }
        var deployment = Deployment(
            id: id, name: name, file: file.path, countryCodes: countryCodes, region: region, defaultLanguage: defaultLanguage,
            languages: languages, dialog: dialog, categories: categories, landmarks: landmarks, gsmFallbackSpelling: gsmFallback,
            center: center, fixmystreetCategories: fixmystreet)
        deployment.gateways = gateways
        deployment.platform = platform ?? PlatformDefinition(type: .local, file: file.path, line: root.line)
        deployment.senderLimit = senderLimit
        return deployment
    }

    /// A landmark farther than this from its city's centre is almost certainly a typo or swapped coordinates.
    static let maximumDistanceKilometres = 40.0

    static func isValid(lat: Double, lon: Double) -> Bool {
        (-90...90).contains(lat) && (-180...180).contains(lon) && !(lat == 0 && lon == 0)
    }

    // MARK: Categories

    mutating func loadCategories(_ path: String, referencedFrom: (file: String, line: Int)) -> [Category]? {
        if let cached = categoryFiles[path] { return cached }
        let file = YAMLFile.load(path, into: &diagnostics, referencedFrom: referencedFrom)
        var result: [Category]?
        defer { categoryFiles[path] = result }
        guard let root = file.root else { return nil }
        root.checkKeys(["categories"], in: "a categories file", &diagnostics)
        guard let list = root["categories"]?.sequence, !list.isEmpty else {
            diagnostics.report(file.path, root.line, "'categories' must list at least one category")
            return nil
        }
        var categories: [Category] = []
        for item in list {
            let what = "a category"
            item.checkKeys(["id", "fixmystreet", "labels", "synonyms"], in: what, &diagnostics)
            guard let id = item.requiredString("id", in: what, &diagnostics) else { continue }
            if categories.contains(where: { $0.id == id }) {
                diagnostics.report(file.path, item.line, "category id '\(id)' is used twice")
                continue
            }
            let fixmystreet = item.requiredString("fixmystreet", in: "category '\(id)'", &diagnostics) ?? id
            var labels: [LanguageTag: String] = [:]
            if let value = item["labels"], let entries = value.mapping {
                for entry in entries {
                    guard let label = entry.value.string, !label.isEmpty else {
                        diagnostics.report(file.path, entry.keyLine, "label '\(entry.key)' of category '\(id)' must be a text")
                        continue
                    }
                    labels[LanguageTag(entry.key)] = label
                }
            } else {
                diagnostics.report(file.path, item.line, "category '\(id)' needs 'labels': one short menu label per language")
            }
            var synonyms: [LanguageTag: [String]] = [:]
            var synonymLines: [LanguageTag: Int] = [:]
            if let value = item["synonyms"] {
                for entry in value.mapping ?? [] {
                    synonyms[LanguageTag(entry.key)] = entry.value.stringList(in: "synonyms '\(entry.key)' of category '\(id)'", &diagnostics)
                    synonymLines[LanguageTag(entry.key)] = entry.keyLine
                }
            }
            categories.append(Category(id: id, fixmystreet: fixmystreet, labels: labels, synonyms: synonyms,
                                       file: file.path, line: item.line, synonymLines: synonymLines))
        }
        result = categories
        return categories
    }

    // MARK: Landmarks

    mutating func loadLandmarks(_ path: String, referencedFrom: (file: String, line: Int)) -> [Landmark]? {
        if let cached = landmarkFiles[path] { return cached }
        let file = YAMLFile.load(path, into: &diagnostics, referencedFrom: referencedFrom)
        var result: [Landmark]?
        defer { landmarkFiles[path] = result }
        guard let root = file.root else { return nil }
        root.checkKeys(["landmarks"], in: "a landmarks file", &diagnostics)
        guard let list = root["landmarks"]?.sequence else {
            diagnostics.report(file.path, root.line, "'landmarks' must be a list of places")
            return nil
        }
        var landmarks: [Landmark] = []
        for item in list {
            item.checkKeys(["id", "lat", "lon", "names", "aliases"], in: "a landmark", &diagnostics)
            guard let id = item.requiredString("id", in: "a landmark", &diagnostics) else { continue }
            let what = "landmark '\(id)'"
            if landmarks.contains(where: { $0.id == id }) {
                diagnostics.report(file.path, item.line, "landmark id '\(id)' is used twice")
                continue
            }
            let lat = item["lat"]?.double(in: "\(what) lat", &diagnostics)
            let lon = item["lon"]?.double(in: "\(what) lon", &diagnostics)
            guard let lat, let lon else {
                if item["lat"] == nil || item["lon"] == nil {
                    diagnostics.report(file.path, item.line, "\(what) needs coordinates: lat and lon in decimal degrees")
                }
                continue
            }
            if !Self.isValid(lat: lat, lon: lon) {
                diagnostics.report(file.path, item.keyLine("lat"), "\(what) has invalid coordinates \(lat), \(lon): lat must be -90…90, lon -180…180, and not 0,0")
                continue
            }
            var names: [LanguageTag: String] = [:]
            for entry in item["names"]?.mapping ?? [] {
                guard let name = entry.value.string, !name.isEmpty else {
                    diagnostics.report(file.path, entry.keyLine, "name '\(entry.key)' of \(what) must be a text")
                    continue
                }
                names[LanguageTag(entry.key)] = name
            }
            if names.isEmpty { diagnostics.report(file.path, item.line, "\(what) needs 'names': its name per language") }
            let aliases = item["aliases"].map { $0.stringList(in: "aliases of \(what)", &diagnostics) } ?? []
            landmarks.append(Landmark(id: id, latitude: lat, longitude: lon, names: names, aliases: aliases))
            landmarkLines[file.path + "#" + id] = item.line
        }
        result = landmarks
        return landmarks
    }
}
