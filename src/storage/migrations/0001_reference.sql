-- Reference data: the taxonomy (a contract), districts, organisations and routing rules.
CREATE TABLE categories (
  code        text PRIMARY KEY,
  name_kk     text NOT NULL,
  name_ru     text NOT NULL,
  name_en     text NOT NULL,
  responsible text NOT NULL
);

CREATE TABLE districts (
  id       text PRIMARY KEY,           -- '<city>.<district>', e.g. astana.esil
  city     text NOT NULL,
  name_kk  text NOT NULL,
  name_ru  text NOT NULL,
  name_en  text NOT NULL,
  kato     text NOT NULL,
  geometry jsonb NOT NULL              -- GeoJSON (WGS84, lon-lat)
);

CREATE TABLE organisations (
  id             text PRIMARY KEY,
  type           text NOT NULL,
  city           text,
  district_id    text REFERENCES districts(id),
  parent_id      text REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
  higher_body_id text REFERENCES organisations(id) DEFERRABLE INITIALLY DEFERRED,
  name_kk        text NOT NULL,
  name_ru        text NOT NULL,
  name_en        text NOT NULL
);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE routing_rules (
  id              serial PRIMARY KEY,
  category        text NOT NULL,       -- exact code, 'prefix.*' or '*'
  channel         text,
  city            text,
  district_id     text REFERENCES districts(id),
  organisation_id text NOT NULL REFERENCES organisations(id),
  note            text
);
