// The partnership form's areas. With JavaScript, a search box (accessible-autocomplete, as
// UK public services use it) finds a current area of the chosen nation by name and adds it
// to the list, one area per line. Without JavaScript the list itself takes names or codes.
(function () {
  var container = document.getElementById('area-finder-container');
  var data = document.getElementById('area-choices');
  var areas = document.getElementById('areas');
  var added = document.getElementById('area-added');
  if (!container || !data || !areas || !added || !window.accessibleAutocomplete) return;
  var choices = JSON.parse(data.textContent);
  var chosenNation = function () {
    var checked = document.querySelector('input[name="nation"]:checked');
    return checked ? checked.value : '';
  };
  var input;
  container.hidden = false;
  window.accessibleAutocomplete({
    element: container.querySelector('.cradle-area-finder'),
    id: 'area-finder',
    minLength: 2,
    confirmOnBlur: false,
    displayMenu: 'overlay',
    tNoResults: function () { return 'No current area of that name in this nation'; },
    source: function (query, populate) {
      var nation = chosenNation();
      var wanted = query.toLowerCase();
      populate(choices
        .filter(function (choice) {
          return (!nation || choice.nation === nation) && choice.label.toLowerCase().indexOf(wanted) !== -1;
        })
        .map(function (choice) { return choice.label; })
        .slice(0, 20));
    },
    onConfirm: function (label) {
      if (!label) return;
      var lines = areas.value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean);
      if (lines.indexOf(label) === -1) lines.push(label);
      areas.value = lines.join('\n');
      added.textContent = 'Added ' + label + ' to the areas.';
      // Empties the search box for the next area once the component has shown the choice.
      window.setTimeout(function () {
        input = input || document.getElementById('area-finder');
        if (input) input.value = '';
      }, 0);
    }
  });
})();
