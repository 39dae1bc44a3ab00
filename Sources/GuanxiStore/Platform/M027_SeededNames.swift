import GuanxiCore

/// Seeded names carry their key (`SeededName`) so pages can say them in the reader's language:
/// the default pipeline, its stages and the default price list. Rows made before keep their text;
/// those still holding the seeded text are marked here, names someone typed stay unmarked.
package enum M027_SeededNames {
    package static let migration = Migration(version: 27, name: "seeded_names") { _ in
        let stages = zip(SeededName.stages, SeededName.stages.map(SeededName.text))
        return [
            "ALTER TABLE pipelines ADD COLUMN name_key TEXT",
            "ALTER TABLE pipeline_stages ADD COLUMN name_key TEXT",
            "ALTER TABLE price_lists ADD COLUMN name_key TEXT",
            "UPDATE pipelines SET name_key = '\(SeededName.pipeline)' WHERE name = '\(SeededName.text(SeededName.pipeline))' AND position = 1",
            "UPDATE price_lists SET name_key = '\(SeededName.priceList)' WHERE name = '\(SeededName.text(SeededName.priceList))'",
        ] + stages.map { key, text in
            // only the stages of the seeded pipeline: a stage someone typed into another pipeline stays as typed
            "UPDATE pipeline_stages SET name_key = '\(key)' WHERE name = '\(text)' AND pipeline_id IN (SELECT id FROM pipelines WHERE name_key = '\(SeededName.pipeline)')"
        }
    }
}
