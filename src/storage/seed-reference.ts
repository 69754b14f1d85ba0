import type { Db } from './db.ts';
import type { ReferenceFiles } from './reference-files.ts';

/**
 * Loads the reference data into the database, replacing what was there: re-running it is safe, and an
 * edited data file takes effect on the next seed. Cases keep pointing at organisations, so organisations
 * are upserted, never deleted.
 */
export async function seedReference(db: Db, files: ReferenceFiles): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    for (const c of files.taxonomy.categories) {
      await tx.query(
        `INSERT INTO categories (code, name_kk, name_ru, name_en, responsible) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET name_kk = $2, name_ru = $3, name_en = $4, responsible = $5`,
        [c.code, c.names.kk, c.names.ru, c.names.en, c.responsible],
      );
    }
    for (const f of files.districts.features) {
      const p = f.properties;
      await tx.query(
        `INSERT INTO districts (id, city, name_kk, name_ru, name_en, kato, geometry) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET city = $2, name_kk = $3, name_ru = $4, name_en = $5, kato = $6, geometry = $7`,
        [p.id, p.city, p.name_kk, p.name_ru, p.name_en, p.kato, JSON.stringify(f.geometry)],
      );
    }
    for (const o of files.organisations) {
      await tx.query(
        `INSERT INTO organisations (id, type, city, district_id, parent_id, higher_body_id, name_kk, name_ru, name_en)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET type = $2, city = $3, district_id = $4, parent_id = $5, higher_body_id = $6,
           name_kk = $7, name_ru = $8, name_en = $9`,
        [o.id, o.type, o.city, o.districtId, o.parentId, o.higherBodyId, o.names.kk, o.names.ru, o.names.en],
      );
    }
    await tx.query('DELETE FROM routing_rules');
    for (const r of files.routingRules) {
      await tx.query(
        'INSERT INTO routing_rules (category, channel, city, district_id, organisation_id, note) VALUES ($1, $2, $3, $4, $5, $6)',
        [r.category, r.channel ?? null, r.city ?? null, r.district ?? null, r.organisationId, r.note ?? null],
      );
    }
    return {
      categories: files.taxonomy.categories.length,
      districts: files.districts.features.length,
      organisations: files.organisations.length,
      routingRules: files.routingRules.length,
    };
  });
}
