-- Two steps of a purchase as one statement each, where a transaction of separate statements cost a
-- round trip to the database per statement (docs/benchmarks.md, "One statement per step"). Each takes
-- the account's seat lock first, as ShowSeatsRepository.lockAccount does (the same key), and then
-- runs its statements: inside a function every statement reads what was committed before it ran,
-- so what follows the lock sees every change the lock's last holder made. Called through
-- ShowSeatsRepository.holdSeat and OrdersRepository.completePayment; a change to either is a new
-- migration (CREATE OR REPLACE FUNCTION).

-- A buyer holds one seat: `claimed` when it became theirs, else the seat as it is with what explains
-- the refusal (`claimable`: free, so the ticket limit refused it; `n` of `max` counted). No row: no
-- such seat in the show. The limit counts unexpired holds and checkouts and sold seats, as
-- ShowSeatsRepository's `counted` does; a seat is claimable when available or its hold ran out.
CREATE OR REPLACE FUNCTION hold_seat(p_show uuid, p_seat uuid, p_holder uuid, p_now timestamptz, p_until timestamptz, p_admission text)
RETURNS TABLE (id uuid, area_id uuid, row_number integer, seat_number integer, accessible boolean, status text,
               mine boolean, claimed boolean, claimable boolean, n integer, max integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_n integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('seat-holds:' || p_show::text), hashtext(p_holder::text));
  -- Under the lock: every claim of this account takes it, so the count stays right until the claim.
  SELECT count(*)::int INTO v_n FROM show_seats
   WHERE show_id = p_show AND holder_id = p_holder
     AND (status = 'sold' OR (status IN ('selected', 'locked') AND hold_expires_at > p_now));
  RETURN QUERY
    UPDATE show_seats ss
       SET status = 'selected', holder_id = p_holder, hold_expires_at = p_until, order_id = NULL, admission_id = p_admission, updated_at = p_now
      FROM shows sh, seats s
     WHERE ss.show_id = p_show AND ss.seat_id = p_seat AND sh.id = ss.show_id AND s.id = ss.seat_id
       AND (ss.status = 'available' OR (ss.status = 'selected' AND ss.hold_expires_at <= p_now))
       AND v_n < sh.max_tickets_per_account
    RETURNING ss.seat_id, ss.area_id, s.row_number, s.seat_number, s.accessible, ss.status,
              true, true, false, v_n + 1, sh.max_tickets_per_account;
  IF FOUND THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT ss.seat_id, ss.area_id, s.row_number, s.seat_number, s.accessible, ss.status,
           coalesce(ss.holder_id = p_holder, false), false,
           (ss.status = 'available' OR (ss.status = 'selected' AND ss.hold_expires_at <= p_now)),
           v_n, sh.max_tickets_per_account
      FROM show_seats ss JOIN seats s ON s.id = ss.seat_id JOIN shows sh ON sh.id = ss.show_id
     WHERE ss.show_id = p_show AND ss.seat_id = p_seat;
END
$$;

-- A charge went through: if the attempt still holds its order, the order is paid, its locked seats
-- sold, the account's other held seats of the show freed (the purchase ends its admission), one
-- ticket per sold seat issued with the codes given (in seat order), the confirmation queued (once per
-- order: its dedupe key) and the attempt marked succeeded, all or nothing. `outcome`:
--   'paid'    done; `changes` lists every seat changed ({show_id, seat_id, area_id, sold}) and
--             `any_unsold` whether the show has a seat left to sell;
--   'already' the attempt was resolved before (another instance, the reconciler);
--   'refund'  the attempt is charging but its order is not its to pay any more, or it was written
--             off as failed: the money is to go back (the caller records that).
-- Fewer sold seats than the order has lines (a seat lost) raises SQLSTATE TC001: nothing changes.
CREATE OR REPLACE FUNCTION complete_payment(p_attempt uuid, p_order uuid, p_show uuid, p_user uuid, p_charge text, p_now timestamptz,
                                            p_codes text[], p_mail_key text, p_mail_payload jsonb)
RETURNS TABLE (outcome text, changes json, any_unsold boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_state text;
  v_lines integer;
  v_changes json;
  v_sold integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('seat-holds:' || p_show::text), hashtext(p_user::text));
  SELECT pa.state INTO v_state FROM payment_attempts pa WHERE pa.id = p_attempt FOR UPDATE;
  IF v_state IS NULL OR v_state NOT IN ('charging', 'failed') THEN
    RETURN QUERY SELECT 'already'::text, NULL::json, NULL::boolean;
    RETURN;
  END IF;
  IF v_state = 'charging' THEN
    UPDATE orders o SET status = 'paid', paid_at = p_now, payment_ref = p_charge, paying_attempt_id = NULL
     WHERE o.id = p_order AND o.status = 'pending' AND o.paying_attempt_id = p_attempt
    RETURNING (SELECT count(*)::int FROM order_items oi WHERE oi.order_id = o.id) INTO v_lines;
    IF FOUND THEN
      IF coalesce(array_length(p_codes, 1), 0) < v_lines THEN
        RAISE EXCEPTION 'order %: % ticket codes for % items', p_order, coalesce(array_length(p_codes, 1), 0), v_lines;
      END IF;
      -- Every SET expression reads the row as it was: `order_id = p_order` tells the order's seats
      -- from the selected ones (a selected seat has no order_id). The tickets are of the seats sold.
      WITH changed AS (
        UPDATE show_seats
           SET status = CASE WHEN order_id = p_order THEN 'sold' ELSE 'available' END,
               holder_id = CASE WHEN order_id = p_order THEN holder_id END,
               order_id = CASE WHEN order_id = p_order THEN order_id END,
               admission_id = CASE WHEN order_id = p_order THEN admission_id END,
               hold_expires_at = NULL, updated_at = p_now
         WHERE (order_id = p_order AND status = 'locked') OR (show_id = p_show AND holder_id = p_user AND status = 'selected')
        RETURNING show_id, seat_id, area_id, status = 'sold' AS sold
      ), issued AS (
        INSERT INTO tickets (order_id, user_id, show_id, seat_id, code, created_at)
          SELECT p_order, p_user, c.show_id, c.seat_id, p_codes[c.i], p_now
            FROM (SELECT show_id, seat_id, row_number() OVER (ORDER BY seat_id)::int AS i FROM changed WHERE sold) c
        RETURNING 1
      )
      SELECT coalesce(json_agg(json_build_object('show_id', show_id, 'seat_id', seat_id, 'area_id', area_id, 'sold', sold)), '[]'::json),
             count(*) FILTER (WHERE sold)::int
        INTO v_changes, v_sold FROM changed;
      -- Raised after the tickets' INSERT: the exception undoes it with everything else.
      IF v_sold <> v_lines THEN
        RAISE EXCEPTION 'order %: % locked seats for % items', p_order, v_sold, v_lines USING ERRCODE = 'TC001';
      END IF;
      INSERT INTO mail_outbox (kind, dedupe_key, to_address, payload, next_attempt_at, created_at)
        SELECT 'order-paid', p_mail_key, u.email, p_mail_payload, p_now, p_now FROM users u WHERE u.id = p_user
        ON CONFLICT (dedupe_key) DO NOTHING;
      UPDATE payment_attempts SET state = 'succeeded', charge_id = p_charge, resolved_at = p_now
       WHERE id = p_attempt AND state = 'charging';
      RETURN QUERY SELECT 'paid'::text, v_changes, EXISTS (SELECT 1 FROM show_seats WHERE show_id = p_show AND status <> 'sold');
      RETURN;
    END IF;
  END IF;
  RETURN QUERY SELECT 'refund'::text, NULL::json, NULL::boolean;
END
$$;
