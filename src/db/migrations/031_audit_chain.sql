-- Tamper-evident audit (issue 6, part 6): every event stores the hash of the one before it in its
-- chain. A chain is the tenant's (tenant_id) or, before a tenant exists, the subject's
-- (`enrollment:enr_…`): see docs/architecture.md, "Audit hash chain", for why not one global chain.
-- The hash is computed here, by a trigger, so every writer (recordEvent and the CTE inserts of the
-- enrollment and notification repositories) is chained with no extra round trip, and no writer can
-- skip it. Order is the chain's own sequence, never occurred_at: rows of one transaction share it.
CREATE TABLE audit_chain_heads (
  chain text PRIMARY KEY,
  seq   bigint NOT NULL,
  hash  bytea
);

ALTER TABLE audit_events
  ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY,
  ADD COLUMN chain text,
  ADD COLUMN chain_seq bigint,
  ADD COLUMN prev_hash bytea,
  ADD COLUMN hash bytea;

-- The canonical form of an event: every column that states a fact, each quoted (NULL stays
-- distinct from ''), joined by a unit separator; jsonb's text form is canonical (sorted keys).
CREATE FUNCTION audit_event_digest(prev bytea, e audit_events) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(concat_ws(chr(31),
    quote_nullable(e.chain), e.chain_seq::text, quote_nullable(e.id),
    ((extract(epoch FROM e.occurred_at) * 1000000)::bigint)::text,
    quote_nullable(e.action), quote_nullable(e.actor_type), quote_nullable(e.actor_id),
    quote_nullable(e.channel), quote_nullable(e.request_id), quote_nullable(e.subject_type),
    quote_nullable(e.subject_id), quote_nullable(e.tenant_id), quote_nullable(e.data::text)), 'UTF8'))
$$;

-- Link one new row into its chain. The head row is locked until commit: two transactions
-- appending to one chain queue there instead of forking it. SECURITY DEFINER: the app role
-- cannot touch the heads itself (it may only read them, to verify).
CREATE FUNCTION audit_link(e audit_events) RETURNS audit_events LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head_seq bigint;
  head_hash bytea;
BEGIN
  e.chain := coalesce(e.tenant_id, e.subject_type || ':' || e.subject_id);
  SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_heads WHERE chain = e.chain FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (e.chain, 0, NULL) ON CONFLICT (chain) DO NOTHING;
    SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_heads WHERE chain = e.chain FOR UPDATE;
  END IF;
  e.chain_seq := head_seq + 1;
  e.prev_hash := head_hash;
  e.hash := audit_event_digest(head_hash, e);
  UPDATE audit_chain_heads SET seq = e.chain_seq, hash = e.hash WHERE chain = e.chain;
  RETURN e;
END $$;

CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN audit_link(NEW);
END $$;

-- Events written before the chain existed: linked now, in (occurred_at, id) order, the best order
-- they have. Until this migration the append-only trigger was their only protection; from here on
-- any change to them breaks the chain like any other row.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
DO $$
DECLARE
  r audit_events;
BEGIN
  FOR r IN SELECT * FROM audit_events ORDER BY occurred_at, id LOOP
    r := audit_link(r);
    UPDATE audit_events SET chain = r.chain, chain_seq = r.chain_seq, prev_hash = r.prev_hash, hash = r.hash WHERE id = r.id;
  END LOOP;
END $$;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;

ALTER TABLE audit_events
  ALTER COLUMN chain SET NOT NULL,
  ALTER COLUMN chain_seq SET NOT NULL,
  ALTER COLUMN hash SET NOT NULL,
  ADD CONSTRAINT audit_events_chain_seq UNIQUE (chain, chain_seq);

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

-- The default privileges of 030 gave the app role everything on this new table: it may only read.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_chain_heads FROM enroll_app;
