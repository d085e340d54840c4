CREATE (:Account {id: 'A1', name: 'duplicate'})
