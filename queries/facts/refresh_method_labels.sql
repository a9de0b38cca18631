-- How often each payment-method label (trimmed, lower-cased) occurs per customer, for the Data page's
-- payment-method report (/v1/settings/payment-methods): counting labels and their distinct customers over every
-- event took 0.1–0.2 s on the default set and ran again at every data change, so on every call while events flowed.
-- Events are only ever added, so a batch's counts add to the stored ones: the pairs it touches are replaced by
-- their sums, one row per label × customer. The labels are not classified here (the map is a setting that
-- changes without new events); the report classifies them when it reads. An erasure deletes the customer's rows
-- as in every table keyed by customer_id. After NULL rebuilds the table from the events.
DELETE FROM event_method_labels WHERE $after::BIGINT IS NULL;

CREATE OR REPLACE TEMP TABLE method_labels_added AS
SELECT lower(trim(method)) AS label, customer_id, count(*) AS events
FROM events
WHERE method IS NOT NULL AND ($after::BIGINT IS NULL OR (batch_id > $after::BIGINT AND batch_id <= $upto::BIGINT))
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE method_labels_summed AS
SELECT a.label, a.customer_id, a.events + coalesce(t.events, 0) AS events
FROM method_labels_added a LEFT JOIN event_method_labels t USING (label, customer_id);

DELETE FROM event_method_labels t USING method_labels_added a WHERE t.label = a.label AND t.customer_id = a.customer_id;

INSERT INTO event_method_labels SELECT label, customer_id, events FROM method_labels_summed;

DROP TABLE method_labels_added;

DROP TABLE method_labels_summed;
