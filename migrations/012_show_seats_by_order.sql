-- The steps that sell or free an order's seats find them by order_id alone (sell, releaseOrders):
-- without an index each of them read every row of show_seats, of every show.
CREATE INDEX show_seats_order_idx ON show_seats (order_id) WHERE order_id IS NOT NULL;
