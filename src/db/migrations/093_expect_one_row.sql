-- A statement sent together with its transaction's COMMIT (Tx.last) cannot let the app look at its result before
-- the commit. An optimistic check that matched no row (an enrollment whose version moved) must therefore fail inside
-- the database, so that PostgreSQL rolls the whole transaction back instead of committing what came before it.
-- SQLSTATE EN409 is ours: the repository maps it back to "no row" (enrollment_conflict).
CREATE FUNCTION expect_one_row(n bigint, what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF n <> 1 THEN
    RAISE EXCEPTION '% matched % rows, expected 1', what, n USING ERRCODE = 'EN409';
  END IF;
  RETURN true;
END $$;
